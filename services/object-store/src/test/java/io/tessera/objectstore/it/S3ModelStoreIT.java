package io.tessera.objectstore.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.embedding.model.CachingModelStore;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.embedding.model.ModelVersions;
import io.tessera.objectstore.ModelStores;
import io.tessera.objectstore.S3Settings;
import io.tessera.stack.StackConfig;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.ObjectStores;
import io.tessera.testing.StackEndpoints;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Model versions as artifacts in the local stack's object store (SeaweedFS): published by the trainer's path,
 * downloaded and checked by the services' path, served from the cache while the store is down.
 */
@ExtendWith(LocalStackExtension.class)
class S3ModelStoreIT {

    private static final StackConfig STACK = StackConfig.fromEnvironment();
    private static final ModelRef TINY = DefaultModels.TESSERA_TINY;
    private static ModelDirectory tiny;
    private static Path work;

    @BeforeAll
    static void model(StackEndpoints ignored) throws Exception {
        work = Files.createDirectories(Path.of("target", "s3-model-store-it", UUID.randomUUID().toString()));
        tiny = DefaultModels.installBundled(new LocalModelStore(work.resolve("source")), TINY);
    }

    private static S3Settings settings(String endpoint, String secret) {
        return new S3Settings(Optional.of(URI.create(endpoint)), StackConfig.S3_REGION, true,
                Optional.of(StackConfig.S3_ACCESS_KEY), Optional.of(secret));
    }

    private static URI base() {
        return URI.create("s3://" + StackConfig.S3_BUCKET + "/models-it/" + UUID.randomUUID() + "/");
    }

    private static ModelStore store(URI base, S3Settings settings, String cache) {
        return ModelStores.open(Optional.of(base), settings, work.resolve(cache + "-" + UUID.randomUUID()));
    }

    @Test
    void aPublishedVersionIsDownloadedCheckedAndCached() throws Exception {
        URI base = base();
        ModelStore trainer = store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "trainer");
        assertThat(trainer.versions(TINY.name())).isEmpty();
        URI artifact = ModelStores.publish(trainer, tiny);
        assertThat(artifact).isEqualTo(base.resolve("tessera-tiny/1/"));
        assertThat(ModelStores.publish(trainer, tiny)).as("publishing the same bytes again is harmless")
                .isEqualTo(artifact);
        ModelDirectory v2 = ModelVersions.derive(tiny, 2, Map.of(), work.resolve("v2-" + UUID.randomUUID()).resolve("m"));
        ModelStores.publish(trainer, v2);

        ModelStore indexer = store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "indexer");
        assertThat(indexer.versions(TINY.name())).containsExactly(1, 2);
        assertThat(indexer.locationOf(new ModelRef(TINY.name(), 2))).contains(base.resolve("tessera-tiny/2/"));
        ModelDirectory opened = indexer.open(new ModelRef(TINY.name(), 2));
        assertThat(opened.manifest().files()).isEqualTo(v2.manifest().files());
        assertThat(opened.root()).startsWith(ModelStores.localDirectory(indexer).root());
    }

    @Test
    void aTamperedObjectFailsItsChecksumAndIsNotCached() {
        URI base = base();
        ModelStore trainer = store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "trainer");
        ModelStores.publish(trainer, tiny);
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(base.getPath().substring(1)
                    + "tessera-tiny/1/tokenizer.json"), RequestBody.fromString("{\"tampered\": true}"));
        }
        ModelStore indexer = store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "indexer");
        assertThatThrownBy(() -> indexer.open(TINY)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("tokenizer.json has sha256").hasMessageContaining("tampered store");
        assertThat(ModelStores.localDirectory(indexer).contains(TINY)).isFalse();

        URI taken = base();
        try (S3Client s3 = ObjectStores.client()) {
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(taken.getPath().substring(1)
                    + "tessera-tiny/1/tessera-model.json"), RequestBody.fromString("{\"another\": \"manifest\"}"));
        }
        assertThatThrownBy(() -> ModelStores.publish(store(taken, settings(STACK.s3Endpoint(),
                StackConfig.S3_SECRET_KEY), "trainer"), tiny))
                .isInstanceOfSatisfying(ModelStoreException.class, e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageContaining("immutable");
    }

    @Test
    void cachedVersionsServeWhileTheStoreIsDownAndFailuresAreClassified() throws Exception {
        URI base = base();
        ModelStores.publish(store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "trainer"), tiny);
        Path cache = work.resolve("indexer-" + UUID.randomUUID());
        ModelStore up = ModelStores.open(Optional.of(base), settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY),
                cache);
        ModelDirectory cached = up.open(TINY);

        int deadPort;
        try (ServerSocket s = new ServerSocket(0)) {
            deadPort = s.getLocalPort();
        }
        ModelStore down = ModelStores.open(Optional.of(base), settings("http://127.0.0.1:" + deadPort,
                StackConfig.S3_SECRET_KEY), cache);
        assertThat(down.open(TINY).root()).isEqualTo(cached.root());
        assertThat(down.versions(TINY.name())).containsExactly(1);
        assertThatThrownBy(() -> down.open(new ModelRef(TINY.name(), 5)))
                .isInstanceOfSatisfying(ModelStoreException.class, e -> assertThat(e.isRetriable()).isTrue());

        ModelStore denied = store(base, settings(STACK.s3Endpoint(), "wrong-secret"), "denied");
        assertThatThrownBy(() -> denied.open(TINY))
                .isInstanceOfSatisfying(ModelStoreException.class, e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageContaining("credentials");
        ModelStore fine = store(base, settings(STACK.s3Endpoint(), StackConfig.S3_SECRET_KEY), "fine");
        assertThatThrownBy(() -> fine.open(new ModelRef(TINY.name(), 9)))
                .isInstanceOfSatisfying(ModelStoreException.class, e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageContaining("not found");
        assertThat(((CachingModelStore) fine).describe()).contains("s3://tessera/models-it/");
    }
}
