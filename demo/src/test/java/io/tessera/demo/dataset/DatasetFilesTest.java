package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files: reproducible to the byte, readable back, in the formats the rest of Tessera consumes. */
class DatasetFilesTest {

    private static final int SIZE = 12;

    @TempDir
    Path temp;

    /** Seed 3 twice and seed 4 once, generated once for the class. */
    @TempDir
    static Path shared;

    @org.junit.jupiter.api.BeforeAll
    static void generateThree() throws IOException {
        DatasetGenerator generator = new DatasetGenerator(new RawFramesEncoder());
        generator.generate(new DatasetSpec(3, SIZE), shared.resolve("a"));
        generator.generate(new DatasetSpec(3, SIZE), shared.resolve("b"));
        generator.generate(new DatasetSpec(4, SIZE), shared.resolve("c"));
    }

    static Map<String, String> hashes(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(file).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(file))));
            }
        }
        return out;
    }

    @Test
    void sameSeedAndSizeGiveByteIdenticalFilesAndAnotherSeedDoesNot() throws Exception {
        Map<String, String> a = hashes(shared.resolve("a"));
        Map<String, String> b = hashes(shared.resolve("b"));
        Map<String, String> c = hashes(shared.resolve("c"));
        assertTrue(a.size() > 30, "files: " + a.size());
        assertEquals(a, b);
        assertNotEquals(a.get("manifest.json"), c.get("manifest.json"));
        assertNotEquals(a.get("pairs.jsonl"), c.get("pairs.jsonl"));
        long sameImages = a.keySet().stream().filter(k -> k.startsWith("images/") && a.get(k).equals(c.get(k))).count();
        assertEquals(0, sameImages, "images of another seed should all differ");
    }

    @Test
    void regeneratingIntoAnEarlierDatasetReplacesItExactly() throws Exception {
        DatasetGenerator generator = new DatasetGenerator(new RawFramesEncoder());
        Path dir = temp.resolve("d");
        generator.generate(new DatasetSpec(5, 20), dir);
        Files.writeString(dir.resolve("images/stale.png"), "left over from a bigger run");
        generator.generate(new DatasetSpec(3, SIZE), dir);
        assertEquals(hashes(shared.resolve("a")), hashes(dir));
    }

    @Test
    void aDirectoryWithForeignFilesIsRefused() throws Exception {
        Path dir = temp.resolve("mine");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("notes.txt"), "precious");
        InvalidDatasetSpecException e = assertThrows(InvalidDatasetSpecException.class,
                () -> new DatasetGenerator(new RawFramesEncoder()).generate(new DatasetSpec(1, SIZE), dir));
        assertTrue(e.getMessage().contains("notes.txt"), e.getMessage());
        assertEquals("precious", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void manifestRoundTripsThroughJsonToTheSameBytes() throws Exception {
        SmallDataset data = SmallDataset.get();
        DatasetManifest read = DatasetJson.readManifest(data.root);
        assertEquals(data.manifest, read);
        assertArrayEquals(Files.readAllBytes(data.root.resolve(DatasetManifest.FILE_NAME)),
                DatasetJson.manifestBytes(read));
        assertEquals(DatasetManifest.FORMAT, read.format());
        assertEquals(DatasetManifest.FORMAT_VERSION, read.formatVersion());
        assertEquals(SmallDataset.SEED, read.seed());
        assertArrayEquals(Files.readAllBytes(data.root.resolve(DatasetManifest.PAIRS_FILE)),
                DatasetJson.jsonLines(data.pairs));
        assertArrayEquals(Files.readAllBytes(data.root.resolve(DatasetManifest.EVAL_FILE)),
                DatasetJson.jsonLines(data.queries));
    }

    @Test
    void manifestHashesAndSizesDescribeTheFiles() throws Exception {
        SmallDataset data = SmallDataset.get();
        Map<String, String> hashes = hashes(data.root);
        for (ManifestItem item : data.manifest.items()) {
            assertEquals(hashes.get(item.file()), item.sha256(), item.file());
            assertEquals(Files.size(data.root.resolve(item.file())), item.sizeBytes(), item.file());
        }
        assertEquals(hashes.get(DatasetManifest.PAIRS_FILE), data.manifest.pairs().sha256());
        assertEquals(hashes.get(DatasetManifest.EVAL_FILE), data.manifest.eval().sha256());
        for (TrainingPair pair : data.pairs) {
            for (PairItem item : List.of(pair.positive())) {
                if (item.content() != null) {
                    assertEquals(hashes.get(item.content().uri()), item.content().sha256(), pair.pairId());
                }
            }
        }
    }

    @Test
    void aNewerFormatVersionIsRefusedWithAClearMessage() throws Exception {
        SmallDataset data = SmallDataset.get();
        Path file = temp.resolve("manifest.json");
        String json = Files.readString(data.root.resolve(DatasetManifest.FILE_NAME));
        Files.writeString(file, json.replace("\"formatVersion\" : " + DatasetManifest.FORMAT_VERSION, "\"formatVersion\" : 99"));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetJson.readManifest(file));
        assertTrue(e.getMessage().contains("format version 99"), e.getMessage());
        Files.writeString(file, "{\"format\": 1");
        assertThrows(DatasetFormatException.class, () -> DatasetJson.readManifest(file));
    }

    @Test
    void pairLinesCarryExactlyTheCuratedPairFields() throws Exception {
        SmallDataset data = SmallDataset.get();
        List<String> lines = Files.readAllLines(data.root.resolve(DatasetManifest.PAIRS_FILE), StandardCharsets.UTF_8);
        assertEquals(data.pairs.size(), lines.size());
        for (String line : lines) {
            JsonNode pair = DatasetJson.mapper().readTree(line);
            assertEquals(List.of("pairId", "task", "query", "positive", "negatives", "weight", "source", "createdAt"),
                    fieldNames(pair));
            List<JsonNode> items = new ArrayList<>(List.of(pair.get("query"), pair.get("positive")));
            pair.get("negatives").forEach(items::add);
            for (JsonNode item : items) {
                assertEquals(List.of("modality", "text", "mediaId", "content", "instruction"), fieldNames(item));
                int set = 0;
                for (String field : List.of("text", "mediaId", "content")) {
                    set += item.get(field).isNull() ? 0 : 1;
                }
                assertEquals(1, set, "exactly one of text, mediaId and content: " + item);
                if (!item.get("content").isNull()) {
                    assertEquals(List.of("uri", "sizeBytes", "sha256"), fieldNames(item.get("content")));
                }
            }
            assertTrue(pair.get("createdAt").isIntegralNumber());
        }
        String broken = lines.getFirst().replace("\"task\":\"t2i\"", "\"task\":\"t9x\"");
        Path file = temp.resolve("broken.jsonl");
        Files.writeString(file, lines.get(1) + "\n" + broken + "\n");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> DatasetJson.readPairs(file));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void resolvedPairsAndItemsPointAtExistingFilesByAbsoluteUri() throws Exception {
        SmallDataset data = SmallDataset.get();
        int resolved = 0;
        for (TrainingPair pair : DatasetJson.readPairsResolved(data.root.resolve(DatasetManifest.PAIRS_FILE))) {
            List<PairItem> items = new ArrayList<>(pair.negatives());
            items.add(pair.positive());
            for (PairItem item : items) {
                if (item.content() != null) {
                    URI uri = URI.create(item.content().uri());
                    assertTrue(uri.isAbsolute(), uri.toString());
                    assertTrue(Files.isRegularFile(Path.of(uri)), uri.toString());
                    resolved++;
                }
            }
        }
        assertTrue(resolved > 0);
        for (ManifestItem item : data.manifest.items()) {
            URI uri = URI.create(item.content(data.root).uri());
            assertEquals("file", uri.getScheme());
            assertEquals(item.sizeBytes(), Files.size(Path.of(uri)));
        }
    }

    @Test
    void pdfsHaveTheAnnotatedPagesAndText() throws Exception {
        SmallDataset data = SmallDataset.get();
        int documents = 0;
        for (ManifestItem item : data.manifest.items(Modality.DOCUMENT)) {
            documents++;
            try (PDDocument pdf = Loader.loadPDF(data.root.resolve(item.file()).toFile())) {
                assertEquals(item.pages().size(), pdf.getNumberOfPages(), item.mediaId());
                assertEquals(item.caption(), pdf.getDocumentInformation().getTitle());
                PDFTextStripper stripper = new PDFTextStripper();
                for (PageAnnotation page : item.pages()) {
                    stripper.setStartPage(page.page());
                    stripper.setEndPage(page.page());
                    String text = stripper.getText(pdf).replaceAll("\\s+", " ");
                    assertTrue(text.contains(page.title()), text);
                    assertTrue(text.contains("Keywords: " + String.join(", ", page.keywords())), text);
                    assertTrue(text.contains(page.figureCaption()), text);
                    assertTrue(text.contains(page.body()), text);
                    assertTrue(text.contains("page " + page.page() + " of " + item.pages().size()), text);
                    assertTrue(page.keywords().containsAll(List.of(page.attributes().get("shape"),
                            page.attributes().get("color"))));
                }
            }
        }
        assertTrue(documents >= 2);
    }

    @Test
    void textFilesHoldThePassageOfTheirPairs() throws Exception {
        SmallDataset data = SmallDataset.get();
        for (TrainingPair pair : data.pairs) {
            if (pair.task() == Task.T2T) {
                ManifestItem item = data.item(pair.pairId().replaceFirst("^s\\d+-t2t-", ""));
                assertEquals(pair.positive().text() + "\n", Files.readString(data.root.resolve(item.file())));
                assertEquals("text/plain; charset=utf-8", item.contentType());
            }
        }
    }
}
