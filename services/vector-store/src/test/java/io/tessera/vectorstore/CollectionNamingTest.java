package io.tessera.vectorstore;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CollectionNamingTest {

    @Test
    void defaultModelGetsTheNamesOfTheArchitecture() {
        assertEquals("tessera_tiny_v1", CollectionNaming.DEFAULT.collection("tessera-tiny", 1));
        assertEquals("tessera_tiny", CollectionNaming.DEFAULT.alias("tessera-tiny"));
    }

    @Test
    void everyCharacterOutsideTheNameAlphabetBecomesAnUnderscore() {
        assertEquals("clip_vit_b_32___", CollectionNaming.modelKey("clip/vit-b.32 é!"));
        assertEquals("Already_OK_09", CollectionNaming.modelKey("Already_OK_09"));
    }

    @Test
    void prefixGoesInFrontOfCollectionAndAlias() {
        CollectionNaming staging = new CollectionNaming("staging_");
        assertEquals("staging_tessera_tiny_v12", staging.collection("tessera-tiny", 12));
        assertEquals("staging_tessera_tiny", staging.alias("tessera-tiny"));
    }

    @Test
    void versionIsReadBackOnlyFromThisModelsCollections() {
        CollectionNaming n = CollectionNaming.DEFAULT;
        assertEquals(OptionalInt.of(3), n.versionOf("tessera-tiny", "tessera_tiny_v3"));
        assertEquals(OptionalInt.empty(), n.versionOf("tessera-tiny", "tessera_tiny_extra_v3"));
        assertEquals(OptionalInt.empty(), n.versionOf("tessera-tiny", "tessera_tiny"));
        assertEquals(OptionalInt.empty(), n.versionOf("tessera-tiny", "tessera_tiny_v0"));
        assertEquals(OptionalInt.empty(), n.versionOf("tessera", "tessera_tiny_v1"));
    }

    @Test
    void badInputIsRefusedWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> new CollectionNaming("1bad"));
        assertThrows(IllegalArgumentException.class, () -> new CollectionNaming("bad-prefix"));
        assertThrows(IllegalArgumentException.class, () -> CollectionNaming.DEFAULT.collection("m", 0));
        assertThrows(IllegalArgumentException.class, () -> CollectionNaming.modelKey(" "));
        IllegalArgumentException digit = assertThrows(IllegalArgumentException.class, () -> CollectionNaming.DEFAULT.alias("3d-net"));
        assertEquals(true, digit.getMessage().contains("prefix"));
        assertEquals("t_3d_net", new CollectionNaming("t_").alias("3d-net"));
        assertThrows(IllegalArgumentException.class, () -> CollectionNaming.DEFAULT.alias("m".repeat(300)));
    }
}
