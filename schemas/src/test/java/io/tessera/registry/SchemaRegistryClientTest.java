package io.tessera.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.EventSchemas;
import io.tessera.events.MediaArrived;
import io.tessera.events.ModelVersion;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {

    private static final Schema ARRIVED = EventSchemas.portable(MediaArrived.getClassSchema());
    private static final Schema MODEL = EventSchemas.portable(ModelVersion.getClassSchema());

    private FakeConfluentRegistry fake;
    private SchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        fake = new FakeConfluentRegistry();
        client = new SchemaRegistryClient(FakeConfluentRegistry.fastConfig(fake.url(), 3));
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    @Test
    void registerReturnsTheRegistrysIdAndCachesItPerSubject() {
        int id = client.register("media.arrived-value", ARRIVED);

        assertThat(client.register("media.arrived-value", ARRIVED)).isEqualTo(id);
        assertThat(client.lookupId("media.arrived-value", ARRIVED)).isEqualTo(id);
        assertThat(fake.requests()).containsExactly("POST /subjects/media.arrived-value/versions");
    }

    @Test
    void schemaByIdIsFetchedOnceThenServedFromTheCache() {
        int id = fake.backing().register("models.published-value", MODEL);

        Schema first = client.schemaById(id);
        Schema second = client.schemaById(id);

        assertThat(first).isEqualTo(MODEL).isSameAs(second);
        assertThat(fake.requests()).containsExactly("GET /schemas/ids/" + id);
        assertThat(client.requestCount()).isEqualTo(1);
    }

    @Test
    void registeringMakesTheSchemaAvailableByIdWithoutAnotherRequest() {
        int id = client.register("s-value", ARRIVED);

        assertThat(client.schemaById(id)).isEqualTo(ARRIVED);
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void lookupOfAnUnregisteredSchemaGivesTheConfluentErrorCodes() {
        assertThatThrownBy(() -> client.lookupId("nobody-value", ARRIVED))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40401);
                    assertThat(e.httpStatus()).isEqualTo(404);
                });
        client.register("media.arrived-value", ARRIVED);
        assertThatThrownBy(() -> client.lookupId("media.arrived-value", MODEL))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        SchemaRegistryClient noGrace = new SchemaRegistryClient(client.config().withUnknownIdGrace(Duration.ZERO));
        assertThatThrownBy(() -> noGrace.schemaById(999))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("/schemas/ids/999");
        noGrace.close();
    }

    @Test
    void anUnknownIdIsTransientDuringTheGraceThenNotFound() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        SchemaRegistryClient graceful = new SchemaRegistryClient(client.config().withUnknownIdGrace(Duration.ofMillis(300)),
                clock::get);
        // A registry replaying its store after a restart: the id is not there yet, and the record must wait.
        assertThatThrownBy(() -> graceful.schemaById(999))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("does not know schema id 999 (yet)")
                .hasCauseInstanceOf(SchemaNotFoundException.class);
        clock.addAndGet(Duration.ofMillis(350).toNanos());
        // Still unknown after the grace: the record can never be read.
        assertThatThrownBy(() -> graceful.schemaById(999))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        graceful.close();
    }

    @Test
    void anIdTheRegistryLearnsDuringTheGraceIsRead() {
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class);
        int id = fake.backing().register("models.published-value", MODEL);

        assertThat(id).isEqualTo(1);
        assertThat(client.schemaById(id)).isEqualTo(MODEL);
    }

    @Test
    void anIncompatibleSchemaIsRefusedWith409AndNotRetried() {
        client.register("media.arrived-value", ARRIVED);
        Schema breaking = withRequiredField(ARRIVED, "priority");

        assertThatThrownBy(() -> client.register("media.arrived-value", breaking))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
        assertThat(fake.requests()).hasSize(2);
    }

    @Test
    void compatibilityCheckReportsTheVerdictAndReasons() {
        client.register("media.arrived-value", ARRIVED);

        CompatibilityResult broken = client.checkCompatibility("media.arrived-value", withRequiredField(ARRIVED, "priority"));
        CompatibilityResult fine = client.checkCompatibility("media.arrived-value", ARRIVED);

        assertThat(broken.compatible()).isFalse();
        assertThat(broken.messages()).anySatisfy(m -> assertThat(m).contains("priority"));
        assertThat(fine.compatible()).isTrue();
    }

    @Test
    void compatibilityLevelsAreSetGloballyAndPerSubject() {
        client.setCompatibility(CompatibilityLevel.FULL);
        client.setCompatibility("pairs.curated-value", CompatibilityLevel.NONE);

        assertThat(client.compatibility("media.arrived-value")).isEqualTo(CompatibilityLevel.FULL);
        assertThat(client.compatibility("pairs.curated-value")).isEqualTo(CompatibilityLevel.NONE);
        assertThat(fake.requests()).contains("PUT /config", "PUT /config/pairs.curated-value");
    }

    @Test
    void latestVersionGivesVersionIdAndSchema() {
        int id = client.register("models.published-value", MODEL);

        SchemaVersion latest = client.latestVersion("models.published-value");

        assertThat(latest).isEqualTo(new SchemaVersion("models.published-value", 1, id, MODEL));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheyPass() {
        fake.failNext(2, 503);

        int id = client.register("media.arrived-value", ARRIVED);

        assertThat(id).isPositive();
        assertThat(fake.requests()).hasSize(3);
    }

    @Test
    void persistentServerErrorsGiveRegistryUnavailableAfterTheRetryBound() {
        fake.failNext(100, 500);

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("4 time(s)")
                .hasMessageContaining("HTTP 500");
        assertThat(fake.requests()).hasSize(4);
    }

    @Test
    void clientErrorsAreNotRetried() {
        fake.failNext(5, 403);

        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(RegistryRequestException.class, e -> assertThat(e.httpStatus()).isEqualTo(403));
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void aStalledRegistryTimesOutInsteadOfHanging() {
        fake.stallEveryRequest();
        SchemaRegistryClient impatient = new SchemaRegistryClient(RegistryConfig.of(fake.url())
                .withTiming(Duration.ofMillis(300), Duration.ofMillis(300), 1, Duration.ofMillis(10), Duration.ofMillis(10)));

        long start = System.nanoTime();
        assertThatThrownBy(() -> impatient.schemaById(1))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("Timeout");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        impatient.close();
    }

    @Test
    void anUnreachableRegistryGivesRegistryUnavailableQuickly() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient nowhere = new SchemaRegistryClient(FakeConfluentRegistry.fastConfig("http://127.0.0.1:" + closedPort, 2));

        long start = System.nanoTime();
        assertThatThrownBy(() -> nowhere.register("x-value", ARRIVED))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasCauseInstanceOf(java.net.ConnectException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        nowhere.close();
    }

    @Test
    void aTransientFailureOnOneUrlFailsOverToTheNext() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        SchemaRegistryClient twoUrls = new SchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, "http://127.0.0.1:" + closedPort + "," + fake.url(),
                RegistryConfig.RETRY_BACKOFF_MS, "5")));

        assertThat(twoUrls.register("media.arrived-value", ARRIVED)).isPositive();
        twoUrls.close();
    }

    @Test
    void anInterruptStopsTheRetriesAndKeepsTheFlag() throws Exception {
        fake.failNext(1000, 503);
        SchemaRegistryClient patient = new SchemaRegistryClient(RegistryConfig.of(fake.url())
                .withTiming(Duration.ofSeconds(1), Duration.ofSeconds(1), 50, Duration.ofMillis(500), Duration.ofMillis(500)));
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                patient.schemaById(1);
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag lost", t));
            }
        });
        caller.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !fake.requests().isEmpty());
        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining("Interrupted");
        patient.close();
    }

    @Test
    void basicAuthCredentialsAreSentOnEveryRequest() {
        fake.requireAuthorization("Basic dXNlcjpzM2NyZXQ=");
        SchemaRegistryClient withBasic = new SchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, fake.url(), RegistryConfig.BASIC_AUTH_USER_INFO, "user:s3cret")));

        assertThat(withBasic.register("a-value", ARRIVED)).isPositive();
        assertThatThrownBy(() -> client.register("b-value", ARRIVED))
                .isInstanceOfSatisfying(RegistryRequestException.class, e -> assertThat(e.httpStatus()).isEqualTo(401));
        withBasic.close();
    }

    @Test
    void basicAuthCanComeFromTheUrlAndIsStrippedFromIt() {
        fake.requireAuthorization("Basic dXNlcjpzM2NyZXQ=");
        String url = fake.url().replace("http://", "http://user:s3cret@");
        SchemaRegistryClient fromUrl = new SchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, url, RegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "URL")));

        assertThat(fromUrl.register("a-value", ARRIVED)).isPositive();
        assertThat(fromUrl.config().urls().get(0).toString()).doesNotContain("s3cret");
        assertThat(fromUrl.toString()).doesNotContain("s3cret");
        fromUrl.close();
    }

    @Test
    void bearerTokensAreSentAsAuthorizationBearer() {
        fake.requireAuthorization("Bearer tok-123");
        SchemaRegistryClient withToken = new SchemaRegistryClient(RegistryConfig.fromProperties(Map.of(
                RegistryConfig.URL, fake.url(), RegistryConfig.BEARER_AUTH_CREDENTIALS_SOURCE, "STATIC_TOKEN",
                RegistryConfig.BEARER_AUTH_TOKEN, "tok-123")));

        assertThat(withToken.register("a-value", ARRIVED)).isPositive();
        assertThat(fake.authorizations()).containsOnly("Bearer tok-123");
        assertThat(withToken.toString()).doesNotContain("tok-123");
        withToken.close();
    }

    @Test
    void subjectsAreUrlEncoded() {
        client.register("odd subject/with slash-value", ARRIVED);

        assertThat(fake.requests()).containsExactly("POST /subjects/odd%20subject%2Fwith%20slash-value/versions");
    }

    static Schema withRequiredField(Schema record, String name) {
        java.util.List<Schema.Field> fields = new java.util.ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, SchemaBuilder.builder().intType(), "a new field without a default"));
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }
}
