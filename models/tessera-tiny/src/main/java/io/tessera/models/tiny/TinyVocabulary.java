package io.tessera.models.tiny;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The word-level vocabulary of the generated tokenizers: special tokens first ({@code [PAD]}=0, {@code [UNK]}=1,
 * {@code [CLS]}=2, {@code [SEP]}=3), then punctuation, the numbers 0-100, and the sorted union of ~11,000 common
 * English words (SCOWL sizes 10 and 20, {@code english-words.txt}) and the words of the demo dataset. Deterministic.
 */
public final class TinyVocabulary {
    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final List<String> SPECIALS = List.of(PAD, UNK, CLS, SEP);

    /** Words the demo dataset and its queries use: shapes, colours, sizes, places, counts, textures, motion, documents. */
    public static final List<String> DEMO_WORDS = List.of(
            // shapes
            "circle", "circles", "square", "squares", "triangle", "triangles", "star", "stars", "hexagon", "hexagons",
            "cross", "crosses", "ring", "rings", "diamond", "diamonds", "rectangle", "rectangles", "oval", "ovals",
            "ellipse", "pentagon", "heart", "arrow", "line", "lines", "dot", "dots", "shape", "shapes", "disc", "disk",
            "blob", "polygon", "round", "rounded",
            // colours
            "red", "green", "blue", "yellow", "orange", "purple", "pink", "cyan", "white", "black", "gray", "grey",
            "brown", "magenta", "violet", "navy", "lime", "maroon", "silver", "colour", "color", "colours", "colors",
            "colourful", "colorful", "dark", "light", "bright", "pale",
            // sizes
            "small", "medium", "large", "tiny", "big", "huge", "little", "size", "sized", "smaller", "larger",
            "bigger", "biggest", "smallest",
            // places
            "top", "bottom", "left", "right", "center", "centre", "middle", "corner", "corners", "upper", "lower",
            "side", "edge", "central", "centered", "centred", "above", "below", "beside", "near", "next",
            "background", "foreground",
            // counts
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "single", "pair", "many",
            "several", "some", "few", "multiple", "no", "none", "first", "second", "third", "last",
            // textures
            "striped", "stripes", "dotted", "plain", "checkered", "checkerboard", "checked", "noise", "noisy",
            "gradient", "solid", "pattern", "patterned", "texture", "textured", "filled", "outline", "hollow",
            "empty", "blank",
            // motion
            "moving", "moves", "move", "motion", "up", "down", "appears", "appear", "disappears", "disappear",
            "changes", "change", "turns", "turn", "becomes", "become", "grows", "grow", "shrinks", "shrink",
            "rotating", "rotates", "rotate", "spinning", "bouncing", "sliding", "slides", "fades", "fading",
            "across", "towards", "toward", "from", "to", "then", "while", "frame", "frames", "video", "clip",
            "scene", "still", "static", "fast", "slow", "quickly", "slowly",
            // documents
            "page", "pages", "title", "chart", "charts", "figure", "figures", "report", "reports", "table", "tables",
            "keywords", "keyword", "document", "documents", "text", "paragraph", "heading", "section", "summary",
            "bar", "pie", "graph", "plot", "axis", "legend", "caption", "column", "columns", "row", "rows",
            "number", "numbers", "image", "images", "picture", "photo", "diagram", "pdf", "slide", "slides",
            // prompts and glue
            "given", "represent", "summarize", "summarise", "describe", "only", "word", "words", "an", "a", "the",
            "with", "and", "or", "of", "in", "on", "at", "is", "are", "has", "have", "showing", "shows", "show",
            "containing", "contains", "find", "query", "about");

    private TinyVocabulary() {}

    /** The tokens in id order. */
    public static List<String> tokens() {
        Set<String> out = new LinkedHashSet<>(SPECIALS);
        for (char c : ".,!?;:'\"-()[]{}/&%$#@*+=<>_~`^|\\".toCharArray()) {
            out.add(String.valueOf(c));
        }
        for (int i = 0; i <= 100; i++) {
            out.add(Integer.toString(i));
        }
        Set<String> words = new TreeSet<>(englishWords());
        words.addAll(DEMO_WORDS);
        out.addAll(words);
        return Collections.unmodifiableList(new ArrayList<>(out));
    }

    static List<String> englishWords() {
        List<String> words = new ArrayList<>();
        try (InputStream in = TinyVocabulary.class.getResourceAsStream("english-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("english-words.txt is missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String w = line.strip();
                if (!w.isEmpty() && !w.startsWith("#")) {
                    words.add(w);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return words;
    }
}
