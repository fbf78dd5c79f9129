package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TenantAccessTest {

    private final TenantAccess keys = TenantAccess.fromConfig(Optional.of("key-aaaa-1=acme, key-bbbb-2=globex"),
            Optional.empty(), "default");

    private static ApiException denied(Runnable r) {
        try {
            r.run();
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("expected an ApiException");
    }

    @Test
    void theKeyDecidesTheTenant() {
        assertThat(keys.resolve("key-aaaa-1", null, null)).isEqualTo("acme");
        assertThat(keys.resolve(null, "Bearer key-bbbb-2", null)).isEqualTo("globex");
        assertThat(keys.resolve(null, "bearer key-bbbb-2", "globex")).isEqualTo("globex");
        assertThat(keys.resolve("key-aaaa-1", null, "  ")).isEqualTo("acme");
        assertThat(keys.tenants()).containsExactlyInAnyOrder("acme", "globex");
    }

    @Test
    void anotherTenantIsForbiddenWhateverItLooksLike() {
        for (String other : new String[] {"globex", "acme,globex", "*", "ACME", "acme "}) {
            ApiException e = denied(() -> keys.resolve("key-aaaa-1", null, other));
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.error()).isEqualTo("tenant_forbidden");
        }
    }

    @Test
    void missingOrUnknownKeysAreUnauthorized() {
        assertThat(denied(() -> keys.resolve(null, null, "acme")).error()).isEqualTo("missing_api_key");
        assertThat(denied(() -> keys.resolve(null, "Basic abc", null)).status()).isEqualTo(401);
        assertThat(denied(() -> keys.resolve("key-aaaa-1x", null, null)).error()).isEqualTo("invalid_api_key");
    }

    @Test
    void withoutKeysOnlyTheDefaultTenantIsServed() {
        TenantAccess open = TenantAccess.fromConfig(Optional.empty(), Optional.empty(), "default");
        assertThat(open.keysConfigured()).isFalse();
        assertThat(open.resolve(null, null, null)).isEqualTo("default");
        assertThat(open.resolve("anything", null, "default")).isEqualTo("default");
        ApiException e = denied(() -> open.resolve(null, null, "acme"));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.error()).isEqualTo("unknown_tenant");
    }

    @Test
    void keysComeFromAFileToo(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys"), "# a secret\nfile-key-123=initech\n\n");
        TenantAccess both = TenantAccess.fromConfig(Optional.of("key-aaaa-1=acme"), Optional.of(file), "default");
        assertThat(both.resolve("file-key-123", null, null)).isEqualTo("initech");
        assertThat(both.resolve("key-aaaa-1", null, null)).isEqualTo("acme");
    }

    @Test
    void badConfigurationFailsAtStartWithoutEchoingSecrets() {
        assertThatThrownBy(() -> TenantAccess.fromConfig(Optional.of("secretvalue-without-tenant"), Optional.empty(),
                "default")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key=tenant")
                .hasMessageNotContaining("secretvalue");
        assertThatThrownBy(() -> TenantAccess.fromConfig(Optional.of("short=acme"), Optional.empty(), "default"))
                .hasMessageContaining("at least 8");
        assertThatThrownBy(() -> TenantAccess.fromConfig(Optional.of("same-key-1=a,same-key-1=b"), Optional.empty(),
                "default")).hasMessageContaining("two tenants");
        assertThatThrownBy(() -> TenantAccess.fromConfig(Optional.of("key-aaaa-1=has space"), Optional.empty(),
                "default")).hasMessageContaining("tenant");
    }
}
