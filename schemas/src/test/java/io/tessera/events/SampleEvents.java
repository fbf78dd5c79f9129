package io.tessera.events;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Events with every field set (optional ones too), for round-trip and interop tests. */
public final class SampleEvents {

    public static final Instant WHEN = Instant.parse("2025-05-17T08:30:12.345Z");

    private SampleEvents() {
    }

    public static MediaArrived mediaArrivedInline(int bytes) {
        // A pattern other languages can rebuild (the Python interop script does): byte i is (i * 31 + 7) mod 256.
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        return MediaArrived.newBuilder()
                .setMediaId("img-0001").setTenant("acme").setModality(Modality.IMAGE).setContentType("image/jpeg")
                .setContent(new InlineBytes(ByteBuffer.wrap(data)))
                .setInstruction("Represent this product photo for retrieval")
                .setAttributes(Map.of("camera", "x100", "caption", "a red bicycle"))
                .setOccurredAt(WHEN)
                .build();
    }

    public static MediaArrived mediaArrivedReference() {
        return MediaArrived.newBuilder()
                .setMediaId("vid-0002").setTenant("acme").setModality(Modality.VIDEO).setContentType("video/mp4")
                .setContent(new ContentReference("file:///data/media/vid-0002.mp4", 73_400_320L,
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"))
                .setInstruction(null)
                .setAttributes(Map.of())
                .setOccurredAt(WHEN)
                .build();
    }

    public static MediaArrived mediaArrivedText() {
        return MediaArrived.newBuilder()
                .setMediaId("txt-0003").setTenant("globex").setModality(Modality.TEXT).setContentType("text/plain")
                .setContent(new InlineText("Ünïcödé text: a cat sitting on a windowsill ✓"))
                .setAttributes(Map.of("lang", "en"))
                .setOccurredAt(WHEN)
                .build();
    }

    public static MediaIndexed mediaIndexed() {
        return MediaIndexed.newBuilder()
                .setMediaId("vid-0002").setTenant("acme").setModality(Modality.VIDEO)
                .setModelName("tessera-tiny").setModelVersion(3).setCollection("tessera_tiny_v3").setSegments(11)
                .setStatus(IndexStatus.FAILED).setError("frame 7 could not be decoded: truncated stream")
                .setArrivedAt(WHEN).setIndexedAt(WHEN.plusMillis(1234))
                .build();
    }

    public static CuratedPair curatedPair() {
        Item query = Item.newBuilder().setModality(Modality.TEXT).setText("a red bicycle")
                .setInstruction("Represent this query for retrieving product photos").build();
        Item positive = Item.newBuilder().setModality(Modality.IMAGE).setMediaId("img-0001").build();
        Item inlineNegative = Item.newBuilder().setModality(Modality.IMAGE)
                .setContent(new InlineBytes(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xff}))).build();
        Item referencedNegative = Item.newBuilder().setModality(Modality.DOCUMENT)
                .setContent(new ContentReference("file:///data/docs/manual.pdf", null, null)).build();
        return CuratedPair.newBuilder()
                .setPairId("pair-77").setTask("text-to-image").setQuery(query).setPositive(positive)
                .setNegatives(List.of(inlineNegative, referencedNegative))
                .setWeight(0.75).setSource("curator:alice").setCreatedAt(WHEN)
                .build();
    }

    public static ModelVersion modelVersion() {
        return ModelVersion.newBuilder()
                .setModelName("tessera-tiny").setVersion(2).setParentVersion(1)
                .setArtifactUri("file:///models/tessera-tiny/2")
                .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                .setDimension(256).setStatus(ModelStatus.PROMOTED)
                .setMetrics(Map.of("recall@1.before", 0.41, "recall@1.after", 0.57, "loss", 1.234))
                .setSoupIngredients(List.of(
                        new SoupIngredient("run-a", 0.5, Map.of("recall@5.after", 0.8)),
                        new SoupIngredient("run-b", 0.5, Map.of())))
                .setPairsTrained(123_456L).setCreatedAt(WHEN)
                .build();
    }

    /** One sample of each top-level event, by the event's simple name. */
    public static Map<String, org.apache.avro.specific.SpecificRecord> oneOfEach() {
        return Map.of("MediaArrived", mediaArrivedInline(1024), "MediaIndexed", mediaIndexed(),
                "CuratedPair", curatedPair(), "ModelVersion", modelVersion());
    }
}
