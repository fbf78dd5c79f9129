package io.tessera.demo.dataset.internal;

import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The closed vocabulary every generated item is described in: attribute names, their values and their words. */
public final class Vocabulary {

    public static final String SHAPE = "shape";
    public static final String COLOR = "color";
    public static final String SIZE = "size";
    public static final String POSITION = "position";
    public static final String COUNT = "count";
    public static final String BACKGROUND = "background";

    private Vocabulary() {
    }

    public enum Shape {
        CIRCLE("circle", "circles"), SQUARE("square", "squares"), TRIANGLE("triangle", "triangles"),
        STAR("star", "stars"), HEXAGON("hexagon", "hexagons"), CROSS("cross", "crosses"),
        RING("ring", "rings"), DIAMOND("diamond", "diamonds");

        public final String word;
        public final String plural;

        Shape(String word, String plural) {
            this.word = word;
            this.plural = plural;
        }
    }

    public enum Colour {
        RED("red", 0xE02020), GREEN("green", 0x20A040), BLUE("blue", 0x2050E0), YELLOW("yellow", 0xF0D020),
        ORANGE("orange", 0xF08020), PURPLE("purple", 0x8030C0), PINK("pink", 0xF070B0), CYAN("cyan", 0x20C8D8),
        WHITE("white", 0xF8F8F8), BLACK("black", 0x181818), GRAY("gray", 0x787878);

        public final String word;
        public final int rgb;

        Colour(String word, int rgb) {
            this.word = word;
            this.rgb = rgb;
        }

        public Color awt() {
            return new Color(rgb);
        }
    }

    /** Diameter of a shape as a fraction of the slot it is drawn in. */
    public enum Size {
        SMALL("small", 0.45), MEDIUM("medium", 0.68), LARGE("large", 0.92);

        public final String word;
        public final double fraction;

        Size(String word, double fraction) {
            this.word = word;
            this.fraction = fraction;
        }
    }

    /** A cell of the 3x3 grid; {@code phrase} is how a caption places something there. */
    public enum Position {
        TOP_LEFT("top left", "at the top left", 0, 0), TOP("top", "at the top", 1, 0),
        TOP_RIGHT("top right", "at the top right", 2, 0), LEFT("left", "on the left", 0, 1),
        CENTER("center", "in the center", 1, 1), RIGHT("right", "on the right", 2, 1),
        BOTTOM_LEFT("bottom left", "at the bottom left", 0, 2), BOTTOM("bottom", "at the bottom", 1, 2),
        BOTTOM_RIGHT("bottom right", "at the bottom right", 2, 2);

        public final String word;
        public final String phrase;
        public final int column;
        public final int row;

        Position(String word, String phrase, int column, int row) {
            this.word = word;
            this.phrase = phrase;
            this.column = column;
            this.row = row;
        }
    }

    public enum Count {
        ONE("one", "a", 1), TWO("two", "two", 2), THREE("three", "three", 3), FOUR("four", "four", 4);

        public final String word;
        /** The word a caption starts with ("a large red circle", "two large red circles"). */
        public final String captionWord;
        public final int n;

        Count(String word, String captionWord, int n) {
            this.word = word;
            this.captionWord = captionWord;
            this.n = n;
        }
    }

    public enum Background {
        PLAIN("plain", "plain"), STRIPED("striped", "striped"), DOTTED("dotted", "dotted"),
        CHECKERED("checkered", "checkered"), NOISE("noise", "noisy"), GRADIENT("gradient", "gradient");

        public final String word;
        /** The adjective in "on a ... background". */
        public final String adjective;

        Background(String word, String adjective) {
            this.word = word;
            this.adjective = adjective;
        }
    }

    /** Every attribute's values, in a fixed order, for the manifest. */
    public static Map<String, List<String>> asMap() {
        Map<String, List<String>> map = new LinkedHashMap<>();
        map.put(SHAPE, words(Shape.values()));
        map.put(COLOR, words(Colour.values()));
        map.put(SIZE, words(Size.values()));
        map.put(POSITION, words(Position.values()));
        map.put(COUNT, words(Count.values()));
        map.put(BACKGROUND, words(Background.values()));
        return map;
    }

    private static List<String> words(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(word(v));
        }
        return out;
    }

    public static String word(Enum<?> value) {
        return switch (value) {
            case Shape s -> s.word;
            case Colour c -> c.word;
            case Size s -> s.word;
            case Position p -> p.word;
            case Count c -> c.word;
            case Background b -> b.word;
            default -> throw new IllegalArgumentException("not a vocabulary value: " + value);
        };
    }
}
