package io.tessera.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStoreException;
import org.junit.jupiter.api.Test;

class StoreModelLoaderTest {

    private final StoreModelLoader loader = new StoreModelLoader(TestModels.store(), TestModels.runtimeConfig(),
            new SimpleMeterRegistry());

    private static String sha(int version) {
        return io.tessera.embedding.model.ModelDirectory.open(TestModels.store().directoryOf(
                new ModelRef(TestModels.MODEL, version))).manifestSha256();
    }

    @Test
    void anObjectStoreArtifactTheStoreHoldsOpensAfterItsChecksum() {
        ModelDirectory dir = loader.open(new PromotedVersion(TestModels.MODEL, 2,
                "s3://models/tessera/tessera-tiny/2/", sha(2), 0));
        assertEquals(new ModelRef(TestModels.MODEL, 2), dir.ref());
        assertThrows(ModelLoader.ArtifactMismatchException.class, () -> loader.open(new PromotedVersion(
                TestModels.MODEL, 2, "s3://models/tessera/tessera-tiny/2/", sha(3), 0)));
    }

    @Test
    void aVersionPublishedToAnotherStoreNamesTheSettingInsteadOfRetryingForever() {
        ModelStoreException e = assertThrows(ModelStoreException.class, () -> loader.open(new PromotedVersion(
                TestModels.MODEL, 9, "s3://elsewhere/models/tessera-tiny/9/", null, 0)));
        assertFalse(e.isRetriable());
        assertTrue(e.getMessage().contains("s3://elsewhere/models/tessera-tiny/9/"), e.getMessage());
        assertTrue(e.getMessage().contains("tessera.model-store.uri"), e.getMessage());
    }
}
