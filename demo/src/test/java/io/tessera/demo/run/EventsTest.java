package io.tessera.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.demo.dataset.ContentRef;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.demo.dataset.Modality;
import io.tessera.demo.dataset.PairItem;
import io.tessera.demo.dataset.Split;
import io.tessera.demo.dataset.Task;
import io.tessera.demo.dataset.TrainingPair;
import io.tessera.events.ContentReference;
import io.tessera.events.CuratedPair;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventsTest {

    @TempDir
    Path root;

    private ManifestItem item(String id, Modality modality, String file, String type, byte[] bytes) throws Exception {
        Path f = root.resolve(file);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return new ManifestItem(id, modality, Split.TRAIN, file, type, bytes.length, "ab".repeat(32), "a caption",
                Map.of("shape", "circle"), null, null, null);
    }

    @Test
    void smallMediaTravelsInlineAndLargerAsAFileReference() throws Exception {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        MediaArrived small = MediaEvents.of(item("img-000001", Modality.IMAGE, "images/a.png", "image/png", new byte[100]),
                root, "demo", 1000, now);
        assertInstanceOf(InlineBytes.class, small.getContent());
        assertEquals("demo", small.getTenant());
        assertEquals(io.tessera.events.Modality.IMAGE, small.getModality());
        assertEquals("circle", small.getAttributes().get("shape"));
        assertEquals("a.png", small.getAttributes().get("filename"));
        assertEquals("train", small.getAttributes().get("split"));

        MediaArrived large = MediaEvents.of(item("vid-000001", Modality.VIDEO, "videos/v.mp4", "video/mp4",
                new byte[2000]), root, "demo", 1000, now);
        ContentReference ref = assertInstanceOf(ContentReference.class, large.getContent());
        assertEquals(root.resolve("videos/v.mp4").toUri().toString(), ref.getUri());
        assertEquals(2000L, ref.getSizeBytes());
        assertEquals("ab".repeat(32), ref.getSha256());
    }

    @Test
    void textTravelsAsInlineText() throws Exception {
        MediaArrived text = MediaEvents.of(item("txt-000001", Modality.TEXT, "texts/t.txt", "text/plain",
                "a red circle".getBytes()), root, "demo", 1000, Instant.now());
        assertEquals("a red circle", assertInstanceOf(InlineText.class, text.getContent()).getText());
    }

    @Test
    void pairsKeepEveryFieldOfTheSchema() {
        ContentRef frame = new ContentRef("file:///data/frames/f.png", 12L, "cd".repeat(32));
        TrainingPair pair = new TrainingPair("s42-t2v-vid-000001-m1", Task.T2V, PairItem.text("a red circle appears"),
                PairItem.content(Modality.IMAGE, frame), List.of(PairItem.media(Modality.IMAGE, "img-000002")), 1.5,
                "tessera-dataset", 1735689600000L);
        CuratedPair p = PairEvents.of(pair);
        assertEquals("s42-t2v-vid-000001-m1", p.getPairId());
        assertEquals("t2v", p.getTask());
        assertEquals("a red circle appears", p.getQuery().getText());
        assertNull(p.getQuery().getMediaId());
        assertEquals("file:///data/frames/f.png",
                assertInstanceOf(ContentReference.class, p.getPositive().getContent()).getUri());
        assertEquals("img-000002", p.getNegatives().getFirst().getMediaId());
        assertEquals(1.5, p.getWeight());
        assertEquals(Instant.ofEpochMilli(1735689600000L), p.getCreatedAt());
    }

    @Test
    void aRelativeContentUriIsRefusedWithTheWayOut() {
        TrainingPair pair = new TrainingPair("p1", Task.T2D, PairItem.text("q"),
                PairItem.content(Modality.IMAGE, new ContentRef("documents/pages/d-p1.png", 1L, null)), List.of(), 1,
                "s", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PairEvents.of(pair));
        assertTrue(e.getMessage().contains("readPairsResolved"), e.getMessage());
    }

    @Test
    void aRunsNamespaceGivesValidTopicAndCollectionNames() {
        Namespace ns = Namespace.create(root, 1_763_790_000_000L);
        assertTrue(ns.topic("media.arrived").matches("demo-[a-z0-9]+\\.media\\.arrived"), ns.topic("media.arrived"));
        assertTrue(ns.collectionPrefix().matches("[A-Za-z0-9_]+"), ns.collectionPrefix());
        Map<String, String> env = ns.serviceEnvironment(List.of(root), "demo");
        assertEquals(root.toString(), env.get("TESSERA_FETCH_FILE_ROOTS"));
        assertEquals(ns.topicPrefix(), env.get("TESSERA_TOPICS_PREFIX"));
        assertEquals("demo", env.get("TESSERA_SEARCH_DEFAULT_TENANT"));
        assertTrue(env.get("TESSERA_MODELS_DIR").startsWith(root.resolve(ns.runId()).toString()));
    }
}
