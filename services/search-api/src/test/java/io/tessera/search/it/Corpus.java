package io.tessera.search.it;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Topics;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaSource;
import io.tessera.media.Modality;
import io.tessera.media.RgbImage;
import io.tessera.media.VideoWriter;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistries;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackConfig;
import io.tessera.testing.ObjectStores;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.MediaItem;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorRow;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A small multimodal corpus for two tenants, really decoded and embedded (tessera-tiny through the embedding
 * runtime, media through the media decoder, as the indexers do) and written to a Milvus collection under a unique
 * prefix, with its catalog records published to a unique media.catalog topic for the thumbnails.
 *
 * <p>Tenant {@value #ACME}: a red circle (inline), a blue square (file reference), a video showing a yellow circle
 * for 3 s then a green square for 3 s, a two-page PDF whose second page is green, and a text. Tenant {@value #GLOBEX}:
 * a red circle too (nearly the same picture as acme's: isolation must hold where similarity would not), a green
 * square and an all-green video kept in the local stack's object store (an {@code s3://} reference). Colours are the ones the untrained tessera-tiny ranks reliably (red, green).
 */
public final class Corpus implements AutoCloseable {

    public static final String ACME = "acme";
    public static final String GLOBEX = "globex";
    public static final String ACME_KEY = "acme-key-0001";
    public static final String GLOBEX_KEY = "globex-key-0002";

    public static final String ACME_RED = "acme-red";
    public static final String ACME_BLUE = "acme-blue";
    public static final String ACME_VIDEO = "acme-video";
    public static final String ACME_DOC = "acme-doc";
    public static final String ACME_TEXT = "acme-text";
    public static final String GLOBEX_RED = "globex-red";
    public static final String GLOBEX_GREEN = "globex-green";
    public static final String GLOBEX_VIDEO = "globex-video";

    public static final Set<String> ACME_ITEMS = Set.of(ACME_RED, ACME_BLUE, ACME_VIDEO, ACME_DOC, ACME_TEXT);
    public static final Set<String> GLOBEX_ITEMS = Set.of(GLOBEX_RED, GLOBEX_GREEN, GLOBEX_VIDEO);

    /** The corpus of the running test class (test resources and tests share the JVM of an integration test). */
    public static volatile Corpus current;

    public final String collectionPrefix;
    public final String topicPrefix;
    public final Path dir;
    public final Path mediaDir;
    public final Path modelsDir;
    public final ModelSpec model;
    public final ModelCollection collection;
    /** Query images written as files: for the multipart and browser tests. */
    public final Path redQueryImage;
    public final Path blueQueryImage;
    public final byte[] redPng;
    public final byte[] bluePng;
    /** The bytes of {@link #GLOBEX_VIDEO}, which lives in the object store (an {@code s3://} reference). */
    public volatile byte[] globexVideo;
    private final StackEndpoints stack;
    private final VectorStore store;

    private Corpus(StackEndpoints stack, Path dir, ModelDirectory modelDir) throws Exception {
        this.stack = stack;
        this.dir = dir;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.collectionPrefix = "it_search_" + id + "_";
        this.topicPrefix = "it-search-" + id + ".";
        this.mediaDir = Files.createDirectories(dir.resolve("media"));
        this.modelsDir = dir.resolve("models");
        this.store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri())
                .withNaming(new CollectionNaming(collectionPrefix)).withIndexType(IndexType.FLAT));
        this.model = new ModelSpec(modelDir.ref().name(), modelDir.ref().version(), modelDir.manifest().dimension());
        this.collection = store.ensureCollection(model);
        this.redPng = png(shape(Color.RED, "circle", 0));
        this.bluePng = png(shape(Color.BLUE, "square", 0));
        this.redQueryImage = Files.write(dir.resolve("query-red.png"), png(shape(Color.RED, "circle", 6)));
        this.blueQueryImage = Files.write(dir.resolve("query-blue.png"), bluePng);
    }

    /**
     * Builds, embeds and writes the corpus.
     *
     * @param modelDir the model version to index with (installed in {@link #modelsDir} for the service too)
     */
    public static Corpus create(StackEndpoints stack, ModelDirectory modelDir) throws Exception {
        Path dir = Files.createTempDirectory("tessera-search-it-");
        Corpus corpus = new Corpus(stack, dir, modelDir);
        corpus.indexAndPublish(modelDir);
        return corpus;
    }

    public VectorStore store() {
        return store;
    }

    public String alias() {
        return collection.alias();
    }

    public String catalogTopic() {
        return Topics.withPrefix(topicPrefix, Topics.MEDIA_CATALOG);
    }

    /** One item as the catalog and the collection see it. */
    record Item(String mediaId, String tenant, Modality modality, String contentType, MediaSource source,
                Object catalogContent, Map<String, String> attributes) {
    }

    private List<Item> items() throws Exception {
        List<Item> items = new ArrayList<>();
        items.add(inline(ACME_RED, ACME, redPng, "a red circle"));
        items.add(file(ACME_BLUE, ACME, Modality.IMAGE, "image/png", "blue.png", bluePng, "a blue square"));
        BufferedImage yellow = shape(Color.YELLOW, "circle", 0);
        BufferedImage green = shape(GREEN, "big-square", 0);
        items.add(file(ACME_VIDEO, ACME, Modality.VIDEO, "video/mp4", "yellow-then-green.mp4",
                video(List.of(yellow, yellow, yellow, green, green, green)), "yellow for three seconds, then green"));
        items.add(file(ACME_DOC, ACME, Modality.DOCUMENT, "application/pdf", "report.pdf", pdf(),
                "a report with a green chart on page 2"));
        String text = "a short report about orange triangles";
        items.add(new Item(ACME_TEXT, ACME, Modality.TEXT, "text/plain", MediaSource.text(text),
                InlineText.newBuilder().setText(text).build(), Map.of("title", "orange triangles")));
        items.add(inline(GLOBEX_RED, GLOBEX, png(shape(Color.RED, "circle", 3)), "globex red circle"));
        items.add(file(GLOBEX_GREEN, GLOBEX, Modality.IMAGE, "image/png", "green.png",
                png(shape(GREEN, "big-square", 0)), "globex green square"));
        globexVideo = video(List.of(green, green, green));
        items.add(s3Object(GLOBEX_VIDEO, GLOBEX, Modality.VIDEO, "video/mp4", "green.mp4", globexVideo,
                "globex green video"));
        return items;
    }

    private Item inline(String mediaId, String tenant, byte[] png, String title) {
        return new Item(mediaId, tenant, Modality.IMAGE, "image/png", MediaSource.bytes(png),
                InlineBytes.newBuilder().setData(ByteBuffer.wrap(png)).build(), Map.of("title", title));
    }

    private Item file(String mediaId, String tenant, Modality modality, String contentType, String name, byte[] bytes,
                      String title) throws Exception {
        Path file = Files.write(mediaDir.resolve(tenant + "-" + name), bytes);
        String uri = file.toUri().toString();
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new Item(mediaId, tenant, modality, contentType, MediaSource.reference(uri, (long) bytes.length, sha),
                ContentReference.newBuilder().setUri(uri).setSizeBytes((long) bytes.length).setSha256(sha).build(),
                Map.of("title", title, "filename", name));
    }

    /**
     * An item kept in the local stack's object store, referenced as {@code s3://}: search-api reads it back through
     * {@code tessera.fetch.s3.*} (content, ranges, thumbnails). The collection's rows are embedded from the bytes
     * themselves; only the catalog record, which search-api follows, names the object.
     */
    private Item s3Object(String mediaId, String tenant, Modality modality, String contentType, String name,
                          byte[] bytes, String title) throws Exception {
        String key = s3Key(tenant, name);
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key).contentType(contentType),
                    RequestBody.fromBytes(bytes));
        }
        String uri = "s3://" + StackConfig.S3_BUCKET + "/" + key;
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return new Item(mediaId, tenant, modality, contentType, MediaSource.bytes(bytes, contentType),
                ContentReference.newBuilder().setUri(uri).setSizeBytes((long) bytes.length).setSha256(sha).build(),
                Map.of("title", title, "filename", name));
    }

    private String s3Key(String tenant, String name) {
        return "it-search/" + topicPrefix + tenant + "-" + name;
    }

    /** Decodes and embeds every item, writes the rows, publishes the catalog records. */
    void indexAndPublish(ModelDirectory modelDir) throws Exception {
        List<Item> items = items();
        writeRows(modelDir, items, collection.collection());
        publishCatalog(items);
    }

    /** Indexes the corpus with another model version into that version's collection (for alias flips). */
    public ModelCollection indexWith(ModelDirectory modelDir) throws Exception {
        ModelCollection next = store.ensureCollection(new ModelSpec(modelDir.ref().name(), modelDir.ref().version(),
                modelDir.manifest().dimension()));
        writeRows(modelDir, items(), next.collection());
        return next;
    }

    private void writeRows(ModelDirectory modelDir, List<Item> items, String target) throws Exception {
        FetchConfig fetch = FetchConfig.builder().fileRoot(mediaDir).build();
        DecodeOptions options = DecodeOptions.builder().frameInterval(Duration.ofSeconds(1)).build();
        List<MediaItem> mediaItems = new ArrayList<>();
        try (MediaDecoder decoder = new MediaDecoder(fetch, options);
             EmbeddingRuntime runtime = EmbeddingRuntime.start(modelDir, RuntimeConfig.defaults().withWarmUp(false))) {
            for (Item item : items) {
                mediaItems.add(new MediaItem(item.mediaId(), item.tenant(), rows(decoder, runtime, item)));
            }
        }
        store.replaceItems(target, mediaItems);
    }

    private static List<VectorRow> rows(MediaDecoder decoder, EmbeddingRuntime runtime, Item item) throws Exception {
        DecodedMedia media = decoder.decode(item.source(), item.modality());
        List<VectorRow> rows = new ArrayList<>();
        String modality = item.modality().name();
        switch (media) {
            case DecodedMedia.DecodedImage image ->
                    rows.add(row(item, modality, -1, null, null, image(runtime, image.image())));
            case DecodedMedia.DecodedVideo video -> {
                List<float[]> frames = new ArrayList<>();
                for (DecodedMedia.VideoFrame f : video.frames()) {
                    float[] v = image(runtime, f.image());
                    frames.add(v);
                    rows.add(row(item, modality, f.index(), f.startMs(), f.endMs(), v));
                }
                rows.add(row(item, modality, -1, 0L, video.durationMs(), mean(frames)));
            }
            case DecodedMedia.DecodedDocument doc -> {
                List<float[]> pages = new ArrayList<>();
                for (DecodedMedia.DocumentPage p : doc.pages()) {
                    float[] v = image(runtime, p.image());
                    pages.add(v);
                    rows.add(row(item, modality, p.index(), null, null, v, p.hasText() ? p.text() : null));
                }
                rows.add(row(item, modality, -1, null, null, mean(pages), doc.pages().stream()
                        .filter(DecodedMedia.DocumentPage::hasText).map(DecodedMedia.DocumentPage::text).findFirst()
                        .orElse(null)));
            }
            // Passages as the indexers store them: a page's text, the text itself.
            case DecodedMedia.DecodedText text -> rows.add(row(item, modality, -1, null, null,
                    runtime.embedTexts(List.of(TextInput.of(text.text(), "document"))).getFirst().vector(), text.text()));
        }
        return rows;
    }

    private static VectorRow row(Item item, String modality, int segment, Long startMs, Long endMs, float[] v) {
        return row(item, modality, segment, startMs, endMs, v, null);
    }

    private static VectorRow row(Item item, String modality, int segment, Long startMs, Long endMs, float[] v,
                                 String passage) {
        return new VectorRow(item.mediaId(), item.tenant(), modality, segment, startMs, endMs, v, item.attributes(),
                passage);
    }

    public static float[] image(EmbeddingRuntime runtime, RgbImage image) {
        Embedding e = runtime.embedImages(List.of(ImageInput.ofRgb(image.rgb(), image.width(), image.height())))
                .getFirst();
        return e.vector();
    }

    static float[] mean(List<float[]> vectors) {
        float[] sum = new float[vectors.getFirst().length];
        for (float[] v : vectors) {
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        double norm = 0;
        for (float x : sum) {
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < sum.length; i++) {
            sum[i] *= inv;
        }
        return sum;
    }

    private void publishCatalog(List<Item> items) throws Exception {
        String topic = catalogTopic();
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin a = Admin.create(admin)) {
            a.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, MediaArrived> producer = new KafkaProducer<>(config, new StringSerializer(),
                new SpecificAvroSerializer<>(SchemaRegistries.shared(RegistryConfig.of(stack.registryUrl())), Map.of(),
                        false))) {
            for (Item item : items) {
                MediaArrived event = MediaArrived.newBuilder().setMediaId(item.mediaId()).setTenant(item.tenant())
                        .setModality(io.tessera.events.Modality.valueOf(item.modality().name()))
                        .setContentType(item.contentType()).setContent(item.catalogContent())
                        .setAttributes(new LinkedHashMap<>(item.attributes())).setOccurredAt(Instant.now()).build();
                producer.send(new ProducerRecord<>(topic, item.mediaId(), event)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    // ------------------------------------------------------------------ generated media

    /** A coloured shape on white, 192x192; {@code shift} moves it a few pixels (a near-duplicate picture). */
    static final Color GREEN = new Color(0, 160, 0);

    public static BufferedImage shape(Color color, String kind, int shift) {
        BufferedImage image = new BufferedImage(192, 192, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 192, 192);
        g.setColor(color);
        if (kind.equals("circle")) {
            g.fillOval(36 + shift, 36 + shift, 120, 120);
        } else if (kind.equals("big-square")) {
            g.fillRect(11 + shift, 11 + shift, 170, 170);
        } else {
            g.fillRect(36 + shift, 36 + shift, 120, 120);
        }
        g.dispose();
        return image;
    }

    public static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** One second per picture (192x192 at 5 fps), H.264 in MP4. */
    private byte[] video(List<BufferedImage> seconds) throws IOException {
        Path file = Files.createTempFile(dir, "video-", ".mp4");
        try (VideoWriter w = VideoWriter.open(file, VideoWriter.Format.MP4_H264, 192, 192, 5)) {
            for (BufferedImage frame : seconds) {
                for (int i = 0; i < 5; i++) {
                    w.write(frame);
                }
            }
        }
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }

    /** Page 1: black text on white; page 2: a large green rectangle. */
    private static byte[] pdf() throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage first = new PDPage(PDRectangle.A6);
            doc.addPage(first);
            try (PDPageContentStream cs = new PDPageContentStream(doc, first)) {
                cs.beginText();
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 14);
                cs.newLineAtOffset(20, 300);
                cs.showText("Quarterly report");
                cs.endText();
            }
            PDPage second = new PDPage(PDRectangle.A6);
            doc.addPage(second);
            try (PDPageContentStream cs = new PDPageContentStream(doc, second)) {
                cs.setNonStrokingColor(GREEN);
                cs.addRect(10, 10, PDRectangle.A6.getWidth() - 20, PDRectangle.A6.getHeight() - 20);
                cs.fill();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    @Override
    public void close() {
        try {
            for (ModelCollection c : store.listCollections(model.name())) {
                store.dropAlias(c.alias());
            }
            for (ModelCollection c : store.listCollections(model.name())) {
                store.dropCollection(c.collection());
            }
        } finally {
            store.close();
            try (S3Client s3 = ObjectStores.client()) {
                s3.deleteObject(b -> b.bucket(StackConfig.S3_BUCKET).key(s3Key(GLOBEX, "green.mp4")));
            } catch (RuntimeException e) {
                // A left-over object is harmless; its key is unique.
            }
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            try (Admin a = Admin.create(admin)) {
                a.deleteTopics(List.of(catalogTopic())).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // A left-over test topic is harmless; its name is unique.
            }
        }
    }
}
