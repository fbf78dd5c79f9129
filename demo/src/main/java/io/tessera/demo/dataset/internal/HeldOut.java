package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.demo.dataset.internal.Vocabulary.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The (shape, colour) combinations kept out of training: no training item shows one and no training pair names one,
 * so the evaluation measures whether a model composes attributes it only ever saw apart.
 *
 * <p>Each shape loses {@value #PER_SHAPE} colours and the lost colours rotate through a seeded order of the palette,
 * so every shape and every colour still appear in training with most partners.
 */
public final class HeldOut {

    public static final int PER_SHAPE = 2;

    private final Map<Shape, Set<Colour>> byShape = new EnumMap<>(Shape.class);

    private HeldOut() {
    }

    public static HeldOut choose(long seed) {
        Random random = Seeds.stream(seed, "held-out");
        List<Colour> order = new ArrayList<>(List.of(Colour.values()));
        Collections.shuffle(order, random);
        HeldOut heldOut = new HeldOut();
        int next = 0;
        for (Shape shape : Shape.values()) {
            Set<Colour> colours = EnumSet.noneOf(Colour.class);
            for (int i = 0; i < PER_SHAPE; i++) {
                colours.add(order.get(next++ % order.size()));
            }
            heldOut.byShape.put(shape, colours);
        }
        return heldOut;
    }

    public boolean contains(Shape shape, Colour colour) {
        return byShape.get(shape).contains(colour);
    }

    public boolean contains(Look look) {
        return contains(look.shape(), look.colour());
    }

    /** Colours of {@code shape} that an item of the given split may use. */
    public List<Colour> colours(Shape shape, boolean eval) {
        List<Colour> out = new ArrayList<>();
        for (Colour colour : Colour.values()) {
            if (contains(shape, colour) == eval) {
                out.add(colour);
            }
        }
        return out;
    }

    /** Shapes that may carry {@code colour} in the given split. */
    public List<Shape> shapes(Colour colour, boolean eval) {
        List<Shape> out = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            if (contains(shape, colour) == eval) {
                out.add(shape);
            }
        }
        return out;
    }

    /** The held-out pairs as [shape word, colour word], shape-major in vocabulary order. */
    public List<List<String>> combinations() {
        List<List<String>> out = new ArrayList<>();
        for (Shape shape : Shape.values()) {
            for (Colour colour : Colour.values()) {
                if (contains(shape, colour)) {
                    out.add(List.of(shape.word, colour.word));
                }
            }
        }
        return out;
    }
}
