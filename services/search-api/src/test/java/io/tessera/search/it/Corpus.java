package io.tessera.search.it;

import static org.awaitility.Awaitility.await;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.events.Topics;
import io.tessera.indexer.Indexer;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TargetCollections;
import io.tessera.media.FetchConfig;
import io.tessera.media.VideoWriter;
import io.tessera.registry.RegistryConfig;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.SerdeConfig;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import io.tessera.stack.StackConfig;
import io.tessera.testing.ObjectStores;
import io.tessera.testing.StackEndpoints;
import io.tessera.vectorstore.CollectionNaming;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.ModelCollection;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.VectorStore;
import io.tessera.vectorstore.VectorStoreConfig;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * A small multimodal corpus for two tenants, indexed by the real indexing pipeline (indexer-core's four
 * {@link Indexer}s, in process, with tessera-tiny) into a Milvus collection under a unique prefix: its items are
 * published as {@link MediaArrived} events to the modality topics under a unique topic prefix, and the corpus is
 * ready once every item has its INDEXED event on media.indexed. The same records go to the unique media.catalog
 * topic, which search-api reads for thumbnails and content: in production media-catalog writes them as it routes
 * media.arrived to the modality topics; media-catalog is another service, so this corpus publishes both itself.
 *
 * <p>Tenant {@value #ACME}: a red circle (inline), a blue square (file reference), a video showing a yellow circle
 * for 3 s then a green square for 3 s, a two-page PDF whose second page is green, and a text. Tenant {@value #GLOBEX}:
 * a red circle too (nearly the same picture as acme's: isolation must hold where similarity would not), a green
 * square and an all-green video kept in the local stack's object store (an {@code s3://} reference, fetched by the
 * indexer and by search-api). Colours are the ones the untrained tessera-tiny ranks reliably (red, green).
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
    /** Query images written as files: for the multipart and browser tests. */
    public final Path redQueryImage;
    public final Path blueQueryImage;
    public final byte[] redPng;
    public final byte[] bluePng;
    /** The bytes of {@link #GLOBEX_VIDEO}, which lives in the object store (an {@code s3://} reference). */
    public volatile byte[] globexVideo;
    private final StackEndpoints stack;
    private final VectorStore store;
    private final LocalModelStore models;

    private Corpus(StackEndpoints stack, Path dir, ModelDirectory modelDir) throws Exception {
        this.stack = stack;
        this.dir = dir;
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        this.collectionPrefix = "it_search_" + id + "_";
        this.topicPrefix = "it-search-" + id + ".";
        this.mediaDir = Files.createDirectories(dir.resolve("media"));
        this.modelsDir = dir.resolve("models");
        this.models = new LocalModelStore(modelsDir);
        this.store = VectorStore.connect(VectorStoreConfig.defaults(stack.milvusUri())
                .withNaming(new CollectionNaming(collectionPrefix)).withIndexType(IndexType.FLAT));
        this.model = new ModelSpec(modelDir.ref().name(), modelDir.ref().version(), modelDir.manifest().dimension());
        this.redPng = png(shape(Color.RED, "circle", 0));
        this.bluePng = png(shape(Color.BLUE, "square", 0));
        this.redQueryImage = Files.write(dir.resolve("query-red.png"), png(shape(Color.RED, "circle", 6)));
        this.blueQueryImage = Files.write(dir.resolve("query-blue.png"), bluePng);
    }

    /**
     * Publishes the corpus and waits until the indexers have indexed all of it.
     *
     * @param dir      the corpus' directory; its {@code models} folder is the model store (search-api's too)
     * @param modelDir the model version to index with, installed in {@code dir/models}
     */
    public static Corpus create(StackEndpoints stack, Path dir, ModelDirectory modelDir) throws Exception {
        Corpus corpus = new Corpus(stack, dir, modelDir);
        corpus.publish(corpus.items());
        corpus.indexWith(modelDir);
        return corpus;
    }

    public VectorStore store() {
        return store;
    }

    public String alias() {
        return store.naming().alias(model.name());
    }

    public String catalogTopic() {
        return Topics.withPrefix(topicPrefix, Topics.MEDIA_CATALOG);
    }

    private String topic(String name) {
        return Topics.withPrefix(topicPrefix, name);
    }

    /** The modality topics the indexers consume, and their outputs. */
    private List<String> pipelineTopics() {
        return List.of(topic(Topics.MEDIA_IMAGE), topic(Topics.MEDIA_VIDEO), topic(Topics.MEDIA_DOCUMENT),
                topic(Topics.MEDIA_TEXT), topic(Topics.MEDIA_INDEXED), topic(Topics.MEDIA_DLQ));
    }

    private List<MediaArrived> items() throws Exception {
        List<MediaArrived> items = new ArrayList<>();
        items.add(inline(ACME_RED, ACME, redPng, "a red circle"));
        items.add(file(ACME_BLUE, ACME, Modality.IMAGE, "image/png", "blue.png", bluePng, "a blue square"));
        BufferedImage yellow = shape(Color.YELLOW, "circle", 0);
        BufferedImage green = shape(GREEN, "big-square", 0);
        items.add(file(ACME_VIDEO, ACME, Modality.VIDEO, "video/mp4", "yellow-then-green.mp4",
                video(List.of(yellow, yellow, yellow, green, green, green)), "yellow for three seconds, then green"));
        items.add(file(ACME_DOC, ACME, Modality.DOCUMENT, "application/pdf", "report.pdf", pdf(),
                "a report with a green chart on page 2"));
        items.add(event(ACME_TEXT, ACME, Modality.TEXT, "text/plain",
                InlineText.newBuilder().setText("a short report about orange triangles").build(),
                Map.of("title", "orange triangles")));
        items.add(inline(GLOBEX_RED, GLOBEX, png(shape(Color.RED, "circle", 3)), "globex red circle"));
        items.add(file(GLOBEX_GREEN, GLOBEX, Modality.IMAGE, "image/png", "green.png",
                png(shape(GREEN, "big-square", 0)), "globex green square"));
        globexVideo = video(List.of(green, green, green));
        items.add(s3Object(GLOBEX_VIDEO, GLOBEX, "video/mp4", "green.mp4", globexVideo, "globex green video"));
        return items;
    }

    private static MediaArrived event(String mediaId, String tenant, Modality modality, String contentType,
                                      Object content, Map<String, String> attributes) {
        return MediaArrived.newBuilder().setMediaId(mediaId).setTenant(tenant).setModality(modality)
                .setContentType(contentType).setContent(content).setAttributes(new LinkedHashMap<>(attributes))
                .setOccurredAt(Instant.now()).build();
    }

    private static MediaArrived inline(String mediaId, String tenant, byte[] png, String title) {
        return event(mediaId, tenant, Modality.IMAGE, "image/png",
                InlineBytes.newBuilder().setData(ByteBuffer.wrap(png)).build(), Map.of("title", title));
    }

    private MediaArrived file(String mediaId, String tenant, Modality modality, String contentType, String name,
                              byte[] bytes, String title) throws Exception {
        Path file = Files.write(mediaDir.resolve(tenant + "-" + name), bytes);
        return reference(mediaId, tenant, modality, contentType, file.toUri().toString(), bytes, name, title);
    }

    /**
     * An item kept in the local stack's object store, referenced as {@code s3://}: the indexer fetches it through
     * its S3 access, search-api through {@code tessera.fetch.s3.*} (content, ranges, thumbnails).
     */
    private MediaArrived s3Object(String mediaId, String tenant, String contentType, String name, byte[] bytes,
                                  String title) throws Exception {
        String key = s3Key(tenant, name);
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key).contentType(contentType),
                    RequestBody.fromBytes(bytes));
        }
        return reference(mediaId, tenant, Modality.VIDEO, contentType, "s3://" + StackConfig.S3_BUCKET + "/" + key,
                bytes, name, title);
    }

    private static MediaArrived reference(String mediaId, String tenant, Modality modality, String contentType,
                                          String uri, byte[] bytes, String name, String title) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        return event(mediaId, tenant, modality, contentType,
                ContentReference.newBuilder().setUri(uri).setSizeBytes((long) bytes.length).setSha256(sha).build(),
                Map.of("title", title, "filename", name));
    }

    private String s3Key(String tenant, String name) {
        return "it-search/" + topicPrefix + tenant + "-" + name;
    }

    /**
     * Creates the corpus' topics and publishes every item to its modality topic (what the indexers consume) and to
     * media.catalog (what search-api reads): both written by media-catalog in production.
     */
    private void publish(List<MediaArrived> items) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic(catalogTopic(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        pipelineTopics().forEach(t -> topics.add(new NewTopic(t, 1, (short) 1)));
        try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            a.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        SpecificAvroSerializer<MediaArrived> values = new SpecificAvroSerializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl()), false);
        try (KafkaProducer<String, MediaArrived> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), values)) {
            for (MediaArrived item : items) {
                for (String t : List.of(catalogTopic(), topic(Topics.forModality(item.getModality())))) {
                    producer.send(new ProducerRecord<>(t, item.getMediaId(), item)).get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * Indexes the corpus with a model version (installed in {@link #modelsDir}) into that version's collection: the
     * four indexers, as the indexer services assemble them, read the modality topics from the beginning under
     * consumer groups of their own. The first version's collection gets the model's alias (the pipeline creates it
     * when missing); a later version's is left for the caller to flip to.
     */
    public ModelCollection indexWith(ModelDirectory modelDir) throws Exception {
        int version = modelDir.ref().version();
        FetchConfig fetch = FetchConfig.builder().fileRoot(mediaDir).s3(new FetchConfig.S3Access(
                Optional.of(URI.create(StackConfig.fromEnvironment().s3Endpoint())), StackConfig.S3_REGION, true,
                Optional.of(StackConfig.S3_ACCESS_KEY), Optional.of(StackConfig.S3_SECRET_KEY),
                Set.of(StackConfig.S3_BUCKET))).build();
        List<Indexer> indexers = new ArrayList<>();
        try (EmbeddingRuntime runtime = EmbeddingRuntime.start(modelDir, RuntimeConfig.defaults().withWarmUp(false))) {
            try {
                for (Modality m : List.of(Modality.IMAGE, Modality.VIDEO, Modality.DOCUMENT, Modality.TEXT)) {
                    IndexerSettings settings = IndexerSettings.builder(m).topicPrefix(topicPrefix)
                            .groupId(topicPrefix + m + "-v" + version).decodeThreads(1).build();
                    indexers.add(Indexer.builder(settings).kafka(stack.kafkaBootstrap())
                            .registry(stack.registryUrl()).vectorStore(store)
                            .targets(TargetCollections.single(runtime)).modelStore(models).fetch(fetch).start());
                }
                awaitIndexed(version);
            } finally {
                indexers.forEach(Indexer::close);
            }
        }
        return store.modelOf(store.naming().collection(model.name(), version)).orElseThrow();
    }

    /** Waits for an INDEXED event of this version for every item; a dead letter fails at once. */
    private void awaitIndexed(int version) {
        SpecificAvroDeserializer<MediaIndexed> values = new SpecificAvroDeserializer<>();
        values.configure(Map.of(RegistryConfig.URL, stack.registryUrl(), SerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
                MediaIndexed.class), false);
        Set<String> pending = new HashSet<>(ACME_ITEMS);
        pending.addAll(GLOBEX_ITEMS);
        try (KafkaConsumer<String, byte[]> outcomes = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, topicPrefix + "outcomes-v" + version,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            outcomes.subscribe(List.of(topic(Topics.MEDIA_INDEXED), topic(Topics.MEDIA_DLQ)));
            await().atMost(Duration.ofMinutes(3)).pollInSameThread().pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, byte[]> r : outcomes.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topic(Topics.MEDIA_DLQ))) {
                        var reason = r.headers().lastHeader(DeadLetterHeaders.REASON);
                        throw new IllegalStateException("the indexers dead-lettered " + r.key() + ": "
                                + (reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8)));
                    }
                    MediaIndexed event = values.deserialize(r.topic(), r.headers(), r.value());
                    if (event.getModelVersion() == version && event.getStatus() == IndexStatus.INDEXED) {
                        pending.remove(event.getMediaId());
                    }
                }
                return pending.isEmpty();
            });
        } finally {
            values.close();
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
            try (Admin a = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
                List<String> topics = new ArrayList<>(pipelineTopics());
                topics.add(catalogTopic());
                a.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Left-over test topics are harmless; their names are unique.
            }
        }
    }
}
