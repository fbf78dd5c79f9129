package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.demo.dataset.internal.SceneRenderer;
import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the generated items show and say, and how pairs and queries relate to them. */
class DatasetContentTest {

    private static final List<String> SHAPES =
            List.of("circle", "square", "triangle", "star", "hexagon", "cross", "ring", "diamond");
    private static final List<String> COLOURS = List.of(
            "red", "green", "blue", "yellow", "orange", "purple", "pink", "cyan", "white", "black", "gray");
    private static final Pattern CAPTION = Pattern.compile("(a|two|three|four) (small|medium|large) (\\w+) (\\w+) "
            + "(at the top left|at the top right|at the top|on the left|in the center|on the right"
            + "|at the bottom left|at the bottom right|at the bottom) on a "
            + "(plain|striped|dotted|checkered|noisy|gradient) background");

    private static SmallDataset data;
    /** Attributes and split of everything a pair can point at: catalog items by id, frames and pages by file. */
    private static final Map<String, Map<String, String>> attributesByRef = new HashMap<>();
    private static final Map<String, Split> splitByRef = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        data = SmallDataset.get();
        for (ManifestItem item : data.manifest.items()) {
            if (item.modality() == Modality.TEXT) {
                String passage = java.nio.file.Files.readString(data.root.resolve(item.file())).strip();
                attributesByRef.put(passage, item.attributes());
                splitByRef.put(passage, item.split());
            }
            splitByRef.put(item.mediaId(), item.split());
            splitByRef.put(item.file(), item.split());
            attributesByRef.put(item.mediaId(), item.attributes());
            if (item.moments() != null) {
                for (Moment m : item.moments()) {
                    attributesByRef.put(m.frameFile(), m.attributes());
                    splitByRef.put(m.frameFile(), item.split());
                }
            }
            if (item.pages() != null) {
                for (PageAnnotation p : item.pages()) {
                    attributesByRef.put(p.imageFile(), p.attributes());
                    splitByRef.put(p.imageFile(), item.split());
                }
            }
        }
    }

    /** What a pair item points at: a media id, a file, or (a passage given inline) its text. */
    private static String ref(PairItem item) {
        return item.mediaId() != null ? item.mediaId() : item.content() != null ? item.content().uri() : item.text();
    }

    private static boolean heldOut(String shape, String colour) {
        return data.manifest.heldOut().contains(shape, colour);
    }

    // ---- held out

    @Test
    void heldOutCombinationsAreTwoColoursForEveryShape() {
        HeldOutCombinations heldOut = data.manifest.heldOut();
        assertEquals(List.of("shape", "color"), heldOut.attributes());
        assertEquals(16, heldOut.values().size());
        for (String shape : SHAPES) {
            assertEquals(2, heldOut.values().stream().filter(v -> v.get(0).equals(shape)).count(), shape);
        }
        for (String colour : COLOURS) {
            long times = heldOut.values().stream().filter(v -> v.get(1).equals(colour)).count();
            assertTrue(times <= 2, colour + " is held out for " + times + " shapes");
        }
    }

    @Test
    void evaluationItemsShowOnlyHeldOutCombinationsAndTrainingItemsNone() {
        int evalItems = 0;
        for (ManifestItem item : data.manifest.items()) {
            List<Map<String, String>> shown = new ArrayList<>();
            switch (item.modality()) {
                case IMAGE, TEXT -> shown.add(item.attributes());
                case VIDEO -> item.moments().forEach(m -> shown.add(m.attributes()));
                case DOCUMENT -> item.pages().forEach(p -> shown.add(p.attributes()));
            }
            assertFalse(shown.isEmpty(), item.mediaId());
            for (Map<String, String> a : shown) {
                assertEquals(item.split() == Split.EVAL, heldOut(a.get("shape"), a.get("color")),
                        item.mediaId() + " (" + item.split() + ") shows " + a);
            }
            if (item.split() == Split.EVAL) {
                evalItems++;
            }
        }
        assertTrue(evalItems >= 4, "every modality holds items out");
    }

    @Test
    void trainingPairsReferenceTrainingItemsOnlyAndNeverNameAHeldOutCombination() {
        Pattern sentence = Pattern.compile("[^.!?]+");
        for (TrainingPair pair : data.pairs) {
            List<PairItem> sides = new ArrayList<>(List.of(pair.query(), pair.positive()));
            sides.addAll(pair.negatives());
            for (PairItem side : sides) {
                if (side != pair.query()) {
                    assertEquals(Split.TRAIN, splitByRef.get(ref(side)), pair.pairId() + " uses " + ref(side));
                }
                if (side.text() == null) {
                    continue;
                }
                Matcher m = sentence.matcher(side.text());
                while (m.find()) {
                    String s = " " + m.group().toLowerCase() + " ";
                    for (List<String> combo : data.manifest.heldOut().values()) {
                        boolean shape = s.contains(" " + combo.get(0) + " ") || s.contains(" " + combo.get(0) + "s ")
                                || s.contains(" " + combo.get(0) + "es ");
                        boolean colour = s.contains(" " + combo.get(1) + " ");
                        assertFalse(shape && colour, pair.pairId() + " names held-out " + combo + ": " + s);
                    }
                }
            }
        }
    }

    @Test
    void everyEvaluationQueryNamesAHeldOutCombinationAndHasExactlyOneAnswer() {
        Map<Task, Integer> perTask = new LinkedHashMap<>();
        for (EvalQuery query : data.queries) {
            perTask.merge(query.task(), 1, Integer::sum);
            ManifestItem target = data.item(query.expected().mediaId());
            assertEquals(Split.EVAL, target.split(), query.queryId());
            assertTrue(heldOut(query.attributes().get("shape"), query.attributes().get("color")), query.queryId());
            assertTrue(query.text().contains(query.attributes().get("color")), query.text());
            assertTrue(query.text().contains(query.attributes().get("shape")), query.text());
            assertEquals(1, answers(query).size(), query.queryId() + " matches " + answers(query));
        }
        for (Task task : Task.values()) {
            assertTrue(perTask.getOrDefault(task, 0) > 0, "no evaluation query for " + task);
        }
    }

    /** Every item, moment or page of the query's modality whose attributes match everything the query names. */
    private static List<String> answers(EvalQuery query) {
        List<String> out = new ArrayList<>();
        Map<String, String> q = query.attributes();
        for (ManifestItem item : data.manifest.items()) {
            switch (query.task()) {
                case T2I, T2T -> {
                    Modality modality = query.task() == Task.T2I ? Modality.IMAGE : Modality.TEXT;
                    if (item.modality() == modality && item.attributes().equals(q)) {
                        out.add(item.mediaId());
                    }
                }
                case T2V -> {
                    if (item.modality() == Modality.VIDEO) {
                        for (Moment m : item.moments()) {
                            Map<String, String> a = m.attributes();
                            if (a.get("shape").equals(q.get("shape")) && a.get("color").equals(q.get("color"))
                                    && a.get("position").equals(q.get("position"))) {
                                out.add(item.mediaId() + "@" + m.startMs());
                                assertEquals(m.startMs(), query.expected().startMs());
                                assertEquals(m.endMs(), query.expected().endMs());
                            }
                        }
                    }
                }
                case T2D -> {
                    if (item.modality() == Modality.DOCUMENT) {
                        for (PageAnnotation p : item.pages()) {
                            if (p.attributes().equals(q)) {
                                out.add(item.mediaId() + "#" + p.page());
                                assertEquals(p.page(), query.expected().page());
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- pairs

    @Test
    void hardNegativesDifferFromThePositiveInExactlyOneNamedAttribute() {
        int negatives = 0;
        for (TrainingPair pair : data.pairs) {
            Map<String, String> positive = attributesByRef.get(ref(pair.positive()));
            assertNotNull(positive, pair.pairId());
            for (PairItem negative : pair.negatives()) {
                negatives++;
                Map<String, String> other = attributesByRef.get(ref(negative));
                List<String> compared = pair.task() == Task.T2V ? List.of("shape", "color", "position", "size",
                        "background") : List.of("shape", "color", "size", "position", "count", "background");
                List<String> differing = compared.stream()
                        .filter(k -> !positive.get(k).equals(other.get(k))).toList();
                assertEquals(1, differing.size(), pair.pairId() + " negative " + ref(negative) + " differs in "
                        + differing);
                if (pair.task() == Task.T2V) {
                    assertTrue(List.of("shape", "color", "position").contains(differing.getFirst()),
                            "a t2v negative must differ in what the moment text names: " + differing);
                }
            }
        }
        assertTrue(negatives >= data.pairs.size(), "on average at least one hard negative per pair, got "
                + negatives + " for " + data.pairs.size() + " pairs");
    }

    @Test
    void everyTrainingItemHasPairsOfItsTask() {
        Set<String> positives = new HashSet<>();
        for (TrainingPair pair : data.pairs) {
            assertTrue(positives.add(ref(pair.positive())), "positive used twice: " + ref(pair.positive()));
            assertEquals(Modality.TEXT, pair.query().modality());
            assertNotNull(pair.query().text());
            String queryText = pair.query().text();
            Map<String, String> a = attributesByRef.get(ref(pair.positive()));
            assertTrue(queryText.contains(a.get("color")) && queryText.contains(a.get("shape")), queryText);
        }
        long trainImages = data.manifest.items(Modality.IMAGE).stream().filter(i -> i.split() == Split.TRAIN).count();
        assertEquals(trainImages, data.pairs.stream().filter(p -> p.task() == Task.T2I).count());
        long trainMoments = data.manifest.items(Modality.VIDEO).stream().filter(i -> i.split() == Split.TRAIN)
                .mapToLong(i -> i.moments().size()).sum();
        assertEquals(trainMoments, data.pairs.stream().filter(p -> p.task() == Task.T2V).count());
        long trainPages = data.manifest.items(Modality.DOCUMENT).stream().filter(i -> i.split() == Split.TRAIN)
                .mapToLong(i -> i.pages().size()).sum();
        assertEquals(trainPages, data.pairs.stream().filter(p -> p.task() == Task.T2D).count());
        long trainTexts = data.manifest.items(Modality.TEXT).stream().filter(i -> i.split() == Split.TRAIN).count();
        assertEquals(trainTexts, data.pairs.stream().filter(p -> p.task() == Task.T2T).count());
    }

    // ---- captions and pixels

    @Test
    void imageCaptionsStateTheirAttributes() {
        for (ManifestItem item : data.manifest.items()) {
            if (item.modality() == Modality.IMAGE || item.modality() == Modality.TEXT) {
                assertEquals(item.attributes(), parseCaption(item.caption()), item.mediaId());
            }
        }
    }

    private static Map<String, String> parseCaption(String caption) {
        Matcher m = CAPTION.matcher(caption);
        if (!m.matches()) {
            fail("caption does not follow the grammar: " + caption);
        }
        Map<String, String> a = new HashMap<>();
        a.put("count", m.group(1).equals("a") ? "one" : m.group(1));
        a.put("size", m.group(2));
        a.put("color", m.group(3));
        String noun = m.group(4);
        String shape = SHAPES.stream().filter(s -> noun.equals(s) || noun.equals(s + "s") || noun.equals(s + "es"))
                .findFirst().orElseThrow(() -> new AssertionError("unknown shape noun " + noun));
        assertEquals(a.get("count").equals("one"), noun.equals(shape), "number agreement in " + caption);
        a.put("shape", shape);
        a.put("position", m.group(5).replaceFirst("^(at|on|in) the ", ""));
        a.put("background", m.group(6).equals("noisy") ? "noise" : m.group(6));
        return a;
    }

    @Test
    void imagesShowWhatTheirAttributesSay() throws IOException {
        for (ManifestItem item : data.manifest.items(Modality.IMAGE)) {
            BufferedImage image = ImageIO.read(data.root.resolve(item.file()).toFile());
            assertEquals(224, image.getWidth());
            assertEquals(224, image.getHeight());
            checkPicture(item.mediaId(), image, item.attributes());
        }
    }

    @Test
    void documentFiguresAndPageImagesMatchTheirAnnotations() throws IOException {
        for (ManifestItem item : data.manifest.items(Modality.DOCUMENT)) {
            for (PageAnnotation page : item.pages()) {
                assertTrue(page.figureCaption().endsWith(": " + new CaptionOf(page.attributes()).text()),
                        page.figureCaption());
                assertEquals(page.attributes(), parseCaption(page.figureCaption().replaceFirst("^Figure \\d+: ", "")));
                BufferedImage rendered = ImageIO.read(data.root.resolve(page.imageFile()).toFile());
                assertEquals(224, rendered.getWidth());
                assertEquals(280, rendered.getHeight());
            }
        }
    }

    /** The caption grammar, written out independently of the generator. */
    private record CaptionOf(Map<String, String> a) {
        String text() {
            boolean one = a.get("count").equals("one");
            String noun = one ? a.get("shape") : a.get("shape").equals("cross") ? "crosses" : a.get("shape") + "s";
            String where = switch (a.get("position")) {
                case "left", "right" -> "on the " + a.get("position");
                case "center" -> "in the center";
                default -> "at the " + a.get("position");
            };
            String background = a.get("background").equals("noise") ? "noisy" : a.get("background");
            return (one ? "a" : a.get("count")) + " " + a.get("size") + " " + a.get("color") + " " + noun + " "
                    + where + " on a " + background + " background";
        }
    }

    @Test
    void captionGrammarAgreesWithTheIndependentSpelling() {
        for (ManifestItem item : data.manifest.items(Modality.IMAGE)) {
            assertEquals(new CaptionOf(item.attributes()).text(), item.caption());
        }
    }

    /** Count, colour, cell, size and background, read from the pixels. */
    private static void checkPicture(String what, BufferedImage image, Map<String, String> a) {
        int rgb = Colour.valueOf(a.get("color").toUpperCase()).rgb;
        List<Pictures.Blob> blobs = Pictures.blobs(image, rgb, 4);
        int count = List.of("one", "two", "three", "four").indexOf(a.get("count")) + 1;
        assertEquals(count, blobs.size(), what + ": shapes of colour " + a.get("color") + " in " + a);
        int w = image.getWidth();
        double slot = count == 1 ? w / 3.0 : w / 6.0;
        double extent = switch (a.get("shape")) {
            case "square" -> 0.86;
            case "triangle" -> 0.866;
            case "star" -> 0.951;
            default -> 1.0;
        };
        for (Pictures.Blob blob : blobs) {
            assertEquals(a.get("position"), Pictures.cell(blob.centreX(), blob.centreY(), w, image.getHeight()),
                    what + ": where the shape is");
            // The outline adds one or two pixels to the drawn diameter: well below the gaps between sizes.
            double measured = Pictures.extentWithOutline(image, blob, slot, rgb, SceneRenderer.OUTLINE_DARK,
                    SceneRenderer.OUTLINE_LIGHT) / (slot * extent);
            String size = measured < (0.45 + 0.68) / 2 ? "small" : measured < (0.68 + 0.92) / 2 ? "medium" : "large";
            assertEquals(a.get("size"), size, what + ": size ratio " + measured + " of " + a);
        }
        int column = List.of("top left", "left", "bottom left").contains(a.get("position")) ? 2 : 0;
        int cell = w / 3;
        assertEquals(a.get("background"), Pictures.texture(image, column * cell + 3, cell + 3, cell - 6),
                what + ": texture of an empty cell");
    }

    // ---- videos

    @Test
    void everyWholeSecondOfAMomentShowsItsShapeColourAndCell() throws IOException {
        int checked = 0;
        for (ManifestItem item : data.manifest.items(Modality.VIDEO)) {
            RawFramesEncoder.Video video = RawFramesEncoder.read(data.root.resolve(item.file()));
            VideoInfo info = item.video();
            assertEquals(info.frames(), video.frames().size(), item.mediaId());
            assertEquals(info.fps(), video.fps());
            assertEquals(info.durationMs(), item.moments().getLast().endMs());
            assertTrue(info.durationMs() >= 4000 && info.durationMs() <= 8000, "duration " + info.durationMs());
            assertEquals(item.file().endsWith(".webm") ? "video/webm" : "video/mp4", item.contentType());
            for (Moment moment : item.moments()) {
                for (long t = 0; t < info.durationMs(); t += 1000) {
                    if (t < moment.startMs() + DatasetSpec.TRANSITION_MS || t >= moment.endMs()) {
                        continue;
                    }
                    BufferedImage frame = video.frames().get((int) (t * info.fps() / 1000));
                    checkFrame(item.mediaId() + "@" + t, frame, moment.attributes());
                    checked++;
                }
                BufferedImage keyFrame = ImageIO.read(data.root.resolve(moment.frameFile()).toFile());
                BufferedImage inVideo = video.frames().get((int) (moment.frameMs() * info.fps() / 1000));
                assertTrue(moment.frameMs() >= moment.startMs() + DatasetSpec.TRANSITION_MS
                        && moment.frameMs() < moment.endMs());
                assertTrue(samePixels(keyFrame, inVideo), item.mediaId() + " key frame of moment " + moment.index());
            }
            for (int i = 1; i < item.moments().size(); i++) {
                Map<String, String> before = item.moments().get(i - 1).attributes();
                Map<String, String> after = item.moments().get(i).attributes();
                long changed = List.of("color", "position").stream()
                        .filter(k -> !before.get(k).equals(after.get(k))).count();
                assertEquals(1, changed, "consecutive moments differ in colour or place, not both: " + item.mediaId());
                assertEquals(item.moments().get(i - 1).endMs(), item.moments().get(i).startMs());
            }
        }
        assertTrue(checked > 0);
    }

    private static void checkFrame(String what, BufferedImage frame, Map<String, String> a) {
        int rgb = Colour.valueOf(a.get("color").toUpperCase()).rgb;
        List<Pictures.Blob> blobs = Pictures.blobs(frame, rgb, 4);
        assertEquals(1, blobs.size(), what + ": one " + a.get("color") + " shape");
        assertEquals(a.get("position"), Pictures.cell(blobs.getFirst().centreX(), blobs.getFirst().centreY(),
                frame.getWidth(), frame.getHeight()), what);
        assertTrue(momentTextNames(a), "moment attributes " + a);
    }

    private static boolean momentTextNames(Map<String, String> a) {
        return a.keySet().containsAll(List.of("shape", "color", "position", "size", "background", "event"));
    }

    @Test
    void momentTextsNameShapeColourAndCell() {
        for (ManifestItem item : data.manifest.items(Modality.VIDEO)) {
            for (Moment moment : item.moments()) {
                Map<String, String> a = moment.attributes();
                String text = moment.text();
                assertTrue(text.contains(" " + a.get("shape") + " "), text);
                assertTrue(text.contains(" " + a.get("color") + " ") || text.endsWith(" " + a.get("color")), text);
                assertTrue(text.endsWith(" " + a.get("position")), text);
                for (String colour : COLOURS) {
                    if (!colour.equals(a.get("color"))) {
                        assertFalse(text.contains(" " + colour + " "), "a moment names one colour only: " + text);
                    }
                }
            }
        }
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return false;
        }
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void manifestCountsMatchItsItems() {
        Map<String, Integer> counts = data.manifest.counts();
        DatasetSpec spec = new DatasetSpec(SmallDataset.SEED, SmallDataset.SIZE);
        assertEquals(spec.images(), counts.get("images"));
        assertEquals(spec.videos(), counts.get("videos"));
        assertEquals(spec.documents(), counts.get("documents"));
        assertEquals(spec.texts(), counts.get("texts"));
        assertEquals(spec.evalImages(), counts.get("images.eval"));
        assertEquals(data.pairs.size(), counts.get("pairs"));
        assertEquals(data.queries.size(), counts.get("evalQueries"));
        assertEquals(data.pairs.size(), data.manifest.pairs().records());
        assertEquals(data.queries.size(), data.manifest.eval().records());
        for (ManifestItem item : data.manifest.items(Modality.DOCUMENT)) {
            assertTrue(item.pages().size() >= 2 && item.pages().size() <= 4, item.mediaId());
        }
    }
}
