package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.internal.Vocabulary.Background;
import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.demo.dataset.internal.Vocabulary.Count;
import io.tessera.demo.dataset.internal.Vocabulary.Position;
import io.tessera.demo.dataset.internal.Vocabulary.Shape;
import io.tessera.demo.dataset.internal.Vocabulary.Size;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What a still picture shows: one group of identical shapes in one grid cell on one background. */
public record Look(Shape shape, Colour colour, Size size, Position position, Count count, Background background) {

    /** Attribute names in the order of {@link #values()}. */
    public static final List<String> ATTRIBUTES = List.of(
            Vocabulary.SHAPE, Vocabulary.COLOR, Vocabulary.SIZE, Vocabulary.POSITION, Vocabulary.COUNT,
            Vocabulary.BACKGROUND);

    public Look {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(count, "count");
        Objects.requireNonNull(background, "background");
    }

    public List<Enum<?>> values() {
        return List.of(shape, colour, size, position, count, background);
    }

    /** A copy with the attribute at {@code index} (see {@link #ATTRIBUTES}) replaced. */
    public Look with(int index, Enum<?> value) {
        return switch (index) {
            case 0 -> new Look((Shape) value, colour, size, position, count, background);
            case 1 -> new Look(shape, (Colour) value, size, position, count, background);
            case 2 -> new Look(shape, colour, (Size) value, position, count, background);
            case 3 -> new Look(shape, colour, size, (Position) value, count, background);
            case 4 -> new Look(shape, colour, size, position, (Count) value, background);
            case 5 -> new Look(shape, colour, size, position, count, (Background) value);
            default -> throw new IllegalArgumentException("attribute index " + index);
        };
    }

    public Map<String, String> attributes() {
        Map<String, String> map = new LinkedHashMap<>();
        List<Enum<?>> values = values();
        for (int i = 0; i < ATTRIBUTES.size(); i++) {
            map.put(ATTRIBUTES.get(i), Vocabulary.word(values.get(i)));
        }
        return map;
    }

    /** "two large blue triangles at the bottom right on a striped background". */
    public String caption() {
        return count.captionWord + " " + size.word + " " + colour.word + " " + shapeNoun() + " " + position.phrase
                + " on a " + background.adjective + " background";
    }

    /** "two large blue triangles", "a small red circle". */
    public String subject() {
        return count.captionWord + " " + size.word + " " + colour.word + " " + shapeNoun();
    }

    public String shapeNoun() {
        return count == Count.ONE ? shape.word : shape.plural;
    }
}
