package io.tessera.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.catalog.internal.CatalogEntry;
import io.tessera.catalog.internal.MicrometerCatalogMetrics;
import io.tessera.catalog.internal.StatusViews;
import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import io.tessera.registry.InMemorySchemaRegistry;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.registry.SchemaRegistry;
import io.tessera.serde.DeadLetterHeaders;
import io.tessera.serde.PoisonPillException;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTopologyTest {

    private static final String TENANT = "acme";

    @TempDir
    Path stateDir;

    private final String scope = "catalog-test-" + UUID.randomUUID();
    private final InMemorySchemaRegistry memory = InMemorySchemaRegistry.forScope(scope);
    private final FlakyRegistry registry = new FlakyRegistry(memory);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CatalogSettings settings = CatalogSettings.defaults("");
    private CatalogTopics topics = settings.topics();

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> arrived;
    private TestInputTopic<String, MediaIndexed> indexedIn;
    private Map<Modality, TestOutputTopic<String, MediaArrived>> routed;
    private TestOutputTopic<String, MediaArrived> catalog;
    private TestOutputTopic<String, MediaIndexed> indexedOut;
    private TestOutputTopic<byte[], byte[]> dlq;
    private final SpecificAvroSerializer<MediaArrived> arrivedWriter = new SpecificAvroSerializer<>(memory, Map.of(), false);

    @BeforeEach
    void start() {
        startWith(settings);
    }

    private void startWith(CatalogSettings newSettings) {
        if (driver != null) {
            driver.close();
        }
        settings = newSettings;
        topics = settings.topics();
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "catalog-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"); // never contacted by the test driver
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(CatalogTopology.create(settings, registry, new MicrometerCatalogMetrics(meters)),
                props, Media.T0);
        arrived = driver.createInputTopic(topics.arrived(), new ByteArraySerializer(), new ByteArraySerializer());
        indexedIn = driver.createInputTopic(topics.indexed(), new StringSerializer(),
                new SpecificAvroSerializer<>(memory, Map.of(), false));
        SpecificAvroDeserializer<MediaArrived> arrivedReader = new SpecificAvroDeserializer<>(memory, MediaArrived.class);
        routed = Map.of(
                Modality.IMAGE, driver.createOutputTopic(topics.image(), new StringDeserializer(), arrivedReader),
                Modality.VIDEO, driver.createOutputTopic(topics.video(), new StringDeserializer(), arrivedReader),
                Modality.DOCUMENT, driver.createOutputTopic(topics.document(), new StringDeserializer(), arrivedReader),
                Modality.TEXT, driver.createOutputTopic(topics.text(), new StringDeserializer(), arrivedReader));
        catalog = driver.createOutputTopic(topics.catalog(), new StringDeserializer(), arrivedReader);
        indexedOut = driver.createOutputTopic(topics.indexed(), new StringDeserializer(),
                new SpecificAvroDeserializer<>(memory, MediaIndexed.class));
        dlq = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void outputTopicsEmptyAtEnd() {
        try {
            routed.forEach((modality, topic) -> assertThat(topic.isEmpty()).as("media.%s drained", modality).isTrue());
            assertThat(catalog.isEmpty()).as("media.catalog drained").isTrue();
            assertThat(indexedOut.isEmpty()).as("media.indexed drained").isTrue();
            assertThat(dlq.isEmpty()).as("media.dlq drained").isTrue();
        } finally {
            driver.close();
            InMemorySchemaRegistry.dropScope(scope);
        }
    }

    @Test
    void validRecordIsRoutedByModality() {
        List<MediaArrived> items = List.of(Media.image("img-1", TENANT).build(), Media.video("vid-1", TENANT).build(),
                Media.document("doc-1", TENANT).build(), Media.text("txt-1", TENANT).build());
        items.forEach(this::publish);

        for (MediaArrived item : items) {
            TestRecord<String, MediaArrived> out = routed.get(item.getModality()).readRecord();
            assertThat(out.key()).isEqualTo(item.getMediaId());
            assertThat(out.value()).isEqualTo(item);
            assertThat(routed.get(item.getModality()).isEmpty()).isTrue();
            assertThat(status(item.getMediaId(), TENANT).status()).isEqualTo(ItemStatus.PENDING);
            assertThat(count("tessera.catalog.records", "outcome", "accepted", "modality",
                    item.getModality().name().toLowerCase())).isEqualTo(1.0);
        }
        assertThat(catalog.readKeyValuesToList()).extracting(kv -> kv.key)
                .containsExactly("img-1", "vid-1", "doc-1", "txt-1");
    }

    @Test
    void identicalRepublishIsNoOp() {
        MediaArrived first = Media.image("img-1", TENANT).build();
        publish(first);
        publish(Media.image("img-1", TENANT).setOccurredAt(Media.T0.plusSeconds(60)).build());

        assertThat(routed.get(Modality.IMAGE).readValuesToList()).containsExactly(first);
        assertThat(catalog.readValuesToList()).containsExactly(first);
        assertThat(count("tessera.catalog.records", "outcome", "deduplicated", "modality", "image")).isEqualTo(1.0);
    }

    @Test
    void identicalReferenceRepublishIsNoOpButAnotherUriIsAnUpdate() {
        MediaArrived first = Media.document("doc-1", TENANT).build();
        publish(first);
        publish(Media.document("doc-1", TENANT).build());
        MediaArrived moved = Media.document("doc-1", TENANT)
                .setContent(new ContentReference("file:///archive/doc-1.pdf", 12_345L, "ab".repeat(32))).build();
        publish(moved);

        assertThat(routed.get(Modality.DOCUMENT).readValuesToList()).containsExactly(first, moved);
        assertThat(catalog.readValuesToList()).containsExactly(first, moved);
    }

    @Test
    void changedContentIsAnUpdate() {
        MediaArrived first = Media.image("img-1", TENANT).build();
        MediaArrived changed = Media.image("img-1", TENANT).setContent(Media.bytes("other jpeg bytes")).build();
        publish(first);
        indexed(Media.indexed(first, 1, 1).build());
        publish(changed);

        assertThat(routed.get(Modality.IMAGE).readValuesToList()).containsExactly(first, changed);
        assertThat(catalog.readValuesToList()).containsExactly(first, changed);
        MediaStatus status = status("img-1", TENANT);
        assertThat(status.status()).as("an update waits for the indexer again").isEqualTo(ItemStatus.PENDING);
        assertThat(status.versions()).isEmpty();
        assertThat(count("tessera.catalog.records", "outcome", "updated", "modality", "image")).isEqualTo(1.0);
    }

    @Test
    void changedAttributesAreAnUpdate() {
        MediaArrived first = Media.text("txt-1", TENANT).build();
        MediaArrived retagged = Media.text("txt-1", TENANT).setAttributes(Map.of("source", "other")).build();
        publish(first);
        publish(retagged);

        assertThat(routed.get(Modality.TEXT).readValuesToList()).containsExactly(first, retagged);
        assertThat(catalog.readValuesToList()).hasSize(2);
    }

    @Test
    void tombstoneIsRoutedToLastKnownModality() {
        MediaArrived video = Media.video("vid-1", TENANT).build();
        publish(video);
        tombstone("vid-1");

        List<TestRecord<String, MediaArrived>> out = routed.get(Modality.VIDEO).readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).key()).isEqualTo("vid-1");
        assertThat(out.get(1).value()).isNull();
        assertThat(header(out.get(1).headers(), CatalogHeaders.TENANT)).isEqualTo(TENANT);
        assertThat(header(out.get(1).headers(), CatalogHeaders.MODALITY)).isEqualTo("VIDEO");
        List<TestRecord<String, MediaArrived>> compacted = catalog.readRecordsToList();
        assertThat(compacted).extracting(TestRecord::value).containsExactly(video, null);
        assertThat(status("vid-1", TENANT).status()).isEqualTo(ItemStatus.DELETED);

        tombstone("vid-1");
        assertThat(routed.get(Modality.VIDEO).isEmpty()).as("a second delete is a no-op").isTrue();
    }

    @Test
    void tombstoneForUnknownItemIsDroppedWithoutDeadLetter() {
        tombstone("never-seen");
        assertThat(count("tessera.catalog.records", "outcome", "tombstone_ignored", "modality", "none")).isEqualTo(1.0);
        // outputTopicsEmptyAtEnd checks that nothing was routed, compacted or dead-lettered
    }

    @Test
    void republishAfterDeleteIsRoutedAgain() {
        MediaArrived item = Media.image("img-1", TENANT).build();
        publish(item);
        tombstone("img-1");
        publish(item);

        assertThat(routed.get(Modality.IMAGE).readValuesToList()).containsExactly(item, null, item);
        assertThat(catalog.readValuesToList()).containsExactly(item, null, item);
        assertThat(status("img-1", TENANT).status()).isEqualTo(ItemStatus.PENDING);
    }

    @Test
    void modalityChangeTombstonesTheOldModalityTopic() {
        publish(Media.image("item-1", TENANT).build());
        MediaArrived asDocument = Media.document("item-1", TENANT).build();
        publish(asDocument);

        List<MediaArrived> images = routed.get(Modality.IMAGE).readValuesToList();
        assertThat(images).hasSize(2);
        assertThat(images.get(1)).isNull();
        assertThat(routed.get(Modality.DOCUMENT).readValuesToList()).containsExactly(asDocument);
        assertThat(catalog.readValuesToList()).hasSize(2).last().isEqualTo(asDocument);
    }

    @Test
    void contentTypeMismatchGoesToDlqWithReason() {
        MediaArrived mismatched = Media.image("img-1", TENANT).setContentType("video/mp4").build();
        byte[] original = arrivedWriter.serialize(topics.arrived(), mismatched);
        arrived.pipeInput(key("img-1"), original);

        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.value()).as("the original bytes").isEqualTo(original);
        assertThat(dead.key()).isEqualTo(key("img-1"));
        assertThat(header(dead.headers(), CatalogHeaders.REASON_CODE)).isEqualTo("CONTENT_TYPE_MISMATCH");
        assertThat(header(dead.headers(), DeadLetterHeaders.REASON))
                .startsWith("CONTENT_TYPE_MISMATCH: contentType video/mp4 does not fit modality IMAGE");
        assertThat(header(dead.headers(), DeadLetterHeaders.EXCEPTION_CLASS))
                .isEqualTo(MediaRejectedException.class.getName());
        assertThat(header(dead.headers(), DeadLetterHeaders.TOPIC)).isEqualTo(topics.arrived());
        assertThat(header(dead.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("0");
        assertThat(header(dead.headers(), DeadLetterHeaders.SERVICE)).isEqualTo("media-catalog");

        MediaIndexed failed = indexedOut.readValue();
        assertThat(failed.getMediaId()).isEqualTo("img-1");
        assertThat(failed.getTenant()).isEqualTo(TENANT);
        assertThat(failed.getStatus()).isEqualTo(IndexStatus.FAILED);
        assertThat(failed.getError()).startsWith("CONTENT_TYPE_MISMATCH");
        assertThat(failed.getArrivedAt()).isEqualTo(mismatched.getOccurredAt());
        MediaStatus status = status("img-1", TENANT);
        assertThat(status.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(status.error()).startsWith("CONTENT_TYPE_MISMATCH");
        assertThat(count("tessera.catalog.dlq", "reason", "CONTENT_TYPE_MISMATCH", "topic", topics.arrived()))
                .isEqualTo(1.0);
        assertThat(count("tessera.catalog.status.events", "status", "failed", "result", "own_event"))
                .as("the FAILED event read back from media.indexed is not applied twice").isEqualTo(1.0);
    }

    @Test
    void garbageBytesGoToDlqAndStreamKeepsFlowing() {
        byte[] json = "{\"mediaId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        byte[] unknownSchemaId = {0, 0, 0, 0x27, 0x0f, 1, 2, 3};
        byte[] truncated = {0, 0, 0};
        byte[] validHeaderGarbageBody = arrivedWriter.serialize(topics.arrived(), Media.image("img-0", TENANT).build());
        byte[] garbageBody = java.util.Arrays.copyOf(validHeaderGarbageBody, 9);
        arrived.pipeInput(key("g-1"), json);
        arrived.pipeInput(key("g-2"), unknownSchemaId);
        arrived.pipeInput(key("g-3"), truncated);
        arrived.pipeInput(key("g-4"), garbageBody);
        MediaArrived good = Media.image("img-1", TENANT).build();
        publish(good);

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(TestRecord::value).containsExactly(json, unknownSchemaId, truncated, garbageBody);
        assertThat(dead).allSatisfy(r -> {
            assertThat(header(r.headers(), CatalogHeaders.REASON_CODE)).isEqualTo("NOT_AVRO");
            assertThat(header(r.headers(), DeadLetterHeaders.EXCEPTION_CLASS)).isEqualTo(PoisonPillException.class.getName());
        });
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.REASON).split(":")[0])
                .containsExactly("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "TRUNCATED_HEADER", "UNDECODABLE_PAYLOAD");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetterHeaders.OFFSET)).containsExactly("0", "1", "2", "3");
        assertThat(routed.get(Modality.IMAGE).readValuesToList()).containsExactly(good);
        assertThat(catalog.readValuesToList()).containsExactly(good);
        assertThat(count("tessera.catalog.dlq", "reason", "NOT_AVRO", "topic", topics.arrived())).isEqualTo(4.0);
    }

    @Test
    void registryOutageFailsTheTaskInsteadOfDeadLettering() {
        byte[] value = arrivedWriter.serialize(topics.arrived(), Media.image("img-1", TENANT).build());
        registry.down.set(true);

        assertThatThrownBy(() -> arrived.pipeInput(key("img-1"), value))
                .isInstanceOf(StreamsException.class)
                .hasRootCauseInstanceOf(java.net.ConnectException.class);
        // outputTopicsEmptyAtEnd: nothing routed, nothing dead-lettered
    }

    @Test
    void invalidRecordsAreRejectedWithTheirReason() {
        startWith(settings.withLimits(new Limits(4096, 16, 1_000, 10, 8, 2, 8, 8, 64)));
        record Case(String reason, MediaArrived item) { }
        List<Case> cases = List.of(
                new Case("CONTENT_TOO_LARGE", Media.image("c-1", TENANT).setContent(Media.bytes("x".repeat(17))).build()),
                new Case("EMPTY_CONTENT", Media.image("c-2", TENANT).setContent(Media.bytes("")).build()),
                new Case("TEXT_TOO_LONG", Media.text("c-3", TENANT).setContent(new InlineText("x".repeat(11))).build()),
                new Case("CONTENT_KIND_MISMATCH", Media.image("c-4", TENANT).setContent(new InlineText("hi")).build()),
                new Case("CONTENT_TOO_LARGE", Media.document("c-5", TENANT)
                        .setContent(new ContentReference("file:///d/c-5.pdf", 1_001L, null)).build()),
                new Case("UNSUPPORTED_URI_SCHEME", Media.document("c-6", TENANT)
                        .setContent(new ContentReference("ftp://host/c-6.pdf", null, null)).build()),
                new Case("INVALID_REFERENCE", Media.document("c-7", TENANT)
                        .setContent(new ContentReference("file:///d/c-7.pdf", null, "not-a-sha")).build()),
                new Case("INVALID_REFERENCE", Media.document("c-8", TENANT)
                        .setContent(new ContentReference("relative/c-8.pdf", null, null)).build()),
                new Case("UNKNOWN_MODALITY", Media.image("c-9", TENANT).setModality(Modality.UNKNOWN).build()),
                new Case("INVALID_CONTENT_TYPE", Media.image("c-10", TENANT).setContentType("jpeg").build()),
                new Case("CONTENT_TYPE_MISMATCH", Media.document("c-11", TENANT).setContentType("text/plain").build()),
                new Case("INSTRUCTION_TOO_LONG", Media.image("c-12", TENANT).setContent(Media.bytes("tiny")).setInstruction("x".repeat(9)).build()),
                new Case("ATTRIBUTES_TOO_LARGE", Media.image("c-13", TENANT).setContent(Media.bytes("tiny"))
                        .setAttributes(Map.of("a", "1", "b", "2", "c", "3")).build()),
                new Case("INVALID_TIMESTAMP", Media.image("c-14", TENANT).setOccurredAt(java.time.Instant.EPOCH).build()));
        cases.forEach(c -> publish(c.item()));

        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r.headers(), CatalogHeaders.REASON_CODE))
                .containsExactlyElementsOf(cases.stream().map(Case::reason).toList());
        List<MediaIndexed> failed = indexedOut.readValuesToList();
        assertThat(failed).extracting(MediaIndexed::getMediaId)
                .containsExactlyElementsOf(cases.stream().map(c -> c.item().getMediaId()).toList());
        assertThat(failed).allSatisfy(f -> assertThat(f.getStatus()).isEqualTo(IndexStatus.FAILED));
        assertThat(status("c-1", TENANT).error()).startsWith("CONTENT_TOO_LARGE: the inline content has 17 bytes");
    }

    @Test
    void recordsThatNameNoUsableItemGoToDlqWithoutFailedEvent() {
        MediaArrived item = Media.image("img-1", TENANT).build();
        byte[] value = arrivedWriter.serialize(topics.arrived(), item);
        arrived.pipeInput((byte[]) null, value);
        arrived.pipeInput(key("other-id"), value);
        arrived.pipeInput(new byte[] {(byte) 0xff, (byte) 0xfe}, value);
        publish(Media.image("bad id with spaces", TENANT).build());
        publish(Media.image("img-2", "bad tenant!").build());

        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), CatalogHeaders.REASON_CODE))
                .containsExactly("MISSING_KEY", "KEY_MISMATCH", "KEY_MISMATCH", "INVALID_MEDIA_ID", "INVALID_TENANT");
        assertThat(indexedOut.isEmpty()).isTrue();
    }

    @Test
    void oversizedRecordIsRejectedBeforeDecoding() {
        startWith(settings.withLimits(new Limits(64, 32, 1_000, 10, 8, 2, 8, 8, 64)));
        publish(Media.text("txt-1", TENANT).setInstruction("x".repeat(8)).setAttributes(Map.of("k", "v".repeat(8)))
                .setContent(new InlineText("y".repeat(10))).build());

        assertThat(dlq.readRecordsToList()).extracting(r -> header(r.headers(), CatalogHeaders.REASON_CODE))
                .containsExactly("RECORD_TOO_LARGE");
        // The record was never decoded, so the catalog cannot tell which item it was: no FAILED event.
    }

    @Test
    void indexedEventUpdatesStatus() {
        MediaArrived item = Media.video("vid-1", TENANT).build();
        publish(item);
        routed.get(Modality.VIDEO).readRecordsToList();
        catalog.readRecordsToList();

        indexed(Media.indexed(item, 1, 11).build());
        MediaStatus status = status("vid-1", TENANT);
        assertThat(status.status()).isEqualTo(ItemStatus.INDEXED);
        assertThat(status.modelName()).isEqualTo("tessera-tiny");
        assertThat(status.modelVersion()).isEqualTo(1);
        assertThat(status.segments()).isEqualTo(11);
        assertThat(status.error()).isNull();

        indexed(Media.indexed(item, 2, 0).setStatus(IndexStatus.FAILED).setError("decode failed: truncated MP4").build());
        status = status("vid-1", TENANT);
        assertThat(status.status()).isEqualTo(ItemStatus.FAILED);
        assertThat(status.error()).isEqualTo("decode failed: truncated MP4");
        assertThat(status.versions()).extracting(MediaStatus.VersionStatus::modelVersion, MediaStatus.VersionStatus::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, ItemStatus.INDEXED),
                        org.assertj.core.groups.Tuple.tuple(2, ItemStatus.FAILED));
    }

    @Test
    void staleIndexedEventIsIgnored() {
        MediaArrived v1 = Media.image("img-1", TENANT).build();
        MediaArrived v2 = Media.image("img-1", TENANT).setContent(Media.bytes("v2")).setOccurredAt(Media.T0.plusSeconds(60))
                .build();
        publish(v1);
        publish(v2);
        routed.get(Modality.IMAGE).readRecordsToList();
        catalog.readRecordsToList();

        indexed(Media.indexed(v1, 1, 1).build());
        assertThat(status("img-1", TENANT).status()).isEqualTo(ItemStatus.PENDING);
        indexed(Media.indexed(v2, 1, 1).build());
        assertThat(status("img-1", TENANT).status()).isEqualTo(ItemStatus.INDEXED);
        assertThat(count("tessera.catalog.status.events", "status", "indexed", "result", "stale")).isEqualTo(1.0);
    }

    @Test
    void statusIsTenantScoped() {
        MediaArrived item = Media.image("img-1", TENANT).build();
        publish(item);
        routed.get(Modality.IMAGE).readRecordsToList();
        catalog.readRecordsToList();

        assertThat(StatusViews.visibleTo(entry("img-1"), "other-tenant")).isEmpty();
        assertThat(StatusViews.visibleTo(entry("img-1"), TENANT)).isPresent();

        // Another tenant can neither take the mediaId over nor change its status.
        publish(Media.image("img-1", "other-tenant").setContent(Media.bytes("theirs")).build());
        assertThat(header(dlq.readRecord().headers(), CatalogHeaders.REASON_CODE)).isEqualTo("TENANT_MISMATCH");
        indexed(Media.indexed(item, 1, 1).setTenant("other-tenant").build());
        assertThat(status("img-1", TENANT).status()).isEqualTo(ItemStatus.PENDING);
        assertThat(count("tessera.catalog.status.events", "status", "indexed", "result", "tenant_mismatch")).isEqualTo(1.0);
    }

    @Test
    void rejectedUpdateKeepsTheLiveVersionAndRecordsTheRejection() {
        MediaArrived item = Media.image("img-1", TENANT).build();
        publish(item);
        indexed(Media.indexed(item, 1, 1).build());
        publish(Media.image("img-1", TENANT).setContentType("application/pdf").setOccurredAt(Media.T0.plusSeconds(9)).build());

        routed.get(Modality.IMAGE).readRecordsToList();
        catalog.readRecordsToList();
        assertThat(header(dlq.readRecord().headers(), CatalogHeaders.REASON_CODE)).isEqualTo("CONTENT_TYPE_MISMATCH");
        assertThat(indexedOut.readValue().getStatus()).isEqualTo(IndexStatus.FAILED);
        MediaStatus status = status("img-1", TENANT);
        assertThat(status.status()).as("the accepted version is still indexed").isEqualTo(ItemStatus.INDEXED);
        assertThat(status.lastRejection().reason()).isEqualTo("CONTENT_TYPE_MISMATCH");

        publish(item);
        assertThat(routed.get(Modality.IMAGE).isEmpty()).as("the live version is unchanged: a no-op").isTrue();
    }

    @Test
    void deletedEntriesArePurgedAfterRetention() {
        publish(Media.image("img-1", TENANT).build());
        tombstone("img-1");
        routed.get(Modality.IMAGE).readRecordsToList();
        catalog.readRecordsToList();
        assertThat(entry("img-1")).isNotNull();

        driver.advanceWallClockTime(settings.deletedRetention().plus(settings.purgeInterval()).plus(Duration.ofMinutes(1)));
        assertThat(entry("img-1")).isNull();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private void publish(MediaArrived item) {
        arrived.pipeInput(key(item.getMediaId()), arrivedWriter.serialize(topics.arrived(), item));
    }

    private void tombstone(String mediaId) {
        arrived.pipeInput(key(mediaId), (byte[]) null);
    }

    private void indexed(MediaIndexed event) {
        indexedIn.pipeInput(event.getMediaId(), event);
    }

    private static byte[] key(String mediaId) {
        return mediaId.getBytes(StandardCharsets.UTF_8);
    }

    private CatalogEntry entry(String mediaId) {
        KeyValueStore<String, CatalogEntry> store = driver.getKeyValueStore(CatalogTopology.STATUS_STORE);
        return store.get(mediaId);
    }

    private MediaStatus status(String mediaId, String tenant) {
        return StatusViews.visibleTo(entry(mediaId), tenant)
                .orElseThrow(() -> new AssertionError("no status for " + mediaId + " in tenant " + tenant));
    }

    private double count(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0.0 : counter.count();
    }

    private static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The in-memory registry, unreachable while {@link #down} is set (as the HTTP client reports it). */
    static final class FlakyRegistry implements SchemaRegistry {
        final AtomicBoolean down = new AtomicBoolean();
        private final SchemaRegistry delegate;

        FlakyRegistry(SchemaRegistry delegate) {
            this.delegate = delegate;
        }

        private void check() {
            if (down.get()) {
                throw new RegistryUnavailableException("schema registry unreachable",
                        new java.net.ConnectException("Connection refused"));
            }
        }

        @Override public int register(String subject, Schema schema) { check(); return delegate.register(subject, schema); }
        @Override public int lookupId(String subject, Schema schema) { check(); return delegate.lookupId(subject, schema); }
        @Override public Schema schemaById(int id) { check(); return delegate.schemaById(id); }
        @Override public io.tessera.registry.SchemaVersion latestVersion(String subject) { check(); return delegate.latestVersion(subject); }
        @Override public io.tessera.registry.CompatibilityResult checkCompatibility(String subject, Schema schema) { check(); return delegate.checkCompatibility(subject, schema); }
        @Override public void setCompatibility(io.tessera.registry.CompatibilityLevel level) { delegate.setCompatibility(level); }
        @Override public void setCompatibility(String subject, io.tessera.registry.CompatibilityLevel level) { delegate.setCompatibility(subject, level); }
        @Override public io.tessera.registry.CompatibilityLevel compatibility(String subject) { return delegate.compatibility(subject); }
    }
}
