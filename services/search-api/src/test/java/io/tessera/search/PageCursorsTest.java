package io.tessera.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.vectorstore.RowCondition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PageCursorsTest {

    private final PageCursors cursors = PageCursors.withSecret(Optional.of("a-test-secret-of-some-length"));

    private static SearchSpec text(String tenant, String text) {
        return new SearchSpec(tenant, new QueryInput.Text(text, null, null), Set.of(), 10, false);
    }

    private static String invalid(PageCursors codec, String token) {
        try {
            codec.decode(token);
            return "ok";
        } catch (ApiException e) {
            return e.status() + " " + e.error() + ": " + e.getMessage();
        }
    }

    @Test
    void aCursorRoundTripsWithItsCalibration() {
        PageCursors.Cursor c = new PageCursors.Cursor(PageCursors.VERSION, 20, "tessera_base_v2", "abc",
                PageCursors.sorted(Map.of("TEXT", new double[] {0.61, 0.0123456789012345}, "IMAGE",
                        new double[] {0.2, 0.01})));
        String token = cursors.encode(c);
        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        PageCursors.Cursor back = cursors.decode(token);
        assertThat(back.offset()).isEqualTo(20);
        assertThat(back.collection()).isEqualTo("tessera_base_v2");
        assertThat(back.binding()).isEqualTo("abc");
        assertThat(back.calibration().get("TEXT")).containsExactly(0.61, 0.0123456789012345);
        assertThat(cursors.encode(back)).isEqualTo(token);
        assertThat(cursors.decode(cursors.encode(new PageCursors.Cursor(1, 10, "c", "b", null))).calibration()).isNull();
    }

    @Test
    void anEditedCutOrForeignCursorIsRefused() {
        String token = cursors.encode(new PageCursors.Cursor(PageCursors.VERSION, 10, "c", "b", null));
        int dot = token.indexOf('.');
        // The same payload with another offset, signed with the old tag.
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"v\":1,\"o\":9990,\"c\":\"c\",\"b\":\"b\"}".getBytes(StandardCharsets.UTF_8)) + token.substring(dot);
        assertThat(invalid(cursors, forged)).startsWith("400 invalid_cursor").contains("signature does not match");
        assertThat(invalid(cursors, token.substring(0, token.length() - 2))).contains("signature does not match");
        assertThat(invalid(cursors, token.replace('.', '!'))).contains("not a cursor this service wrote");
        assertThat(invalid(cursors, token + ".x")).contains("not a cursor this service wrote");
        assertThat(invalid(cursors, "***." + token.substring(dot + 1))).contains("not base64url");
        assertThat(invalid(cursors, "x".repeat(3000))).contains("longer than any cursor");
        assertThat(invalid(PageCursors.withSecret(Optional.of("another-secret-entirely")), token))
                .contains("signature does not match");
        assertThat(invalid(PageCursors.withSecret(Optional.empty()), token)).contains("signature does not match");
        // Signed, but not what this version writes.
        assertThat(invalid(cursors, cursors.encode(new PageCursors.Cursor(2, 10, "c", "b", null))))
                .contains("incompatible version");
        assertThat(invalid(cursors, cursors.encode(new PageCursors.Cursor(1, -1, "c", "b", null))))
                .contains("incompatible version");
    }

    @Test
    void aShortSecretIsRefusedAtStart() {
        assertThatThrownBy(() -> PageCursors.withSecret(Optional.of("short")))
                .hasMessageContaining("tessera.search.cursor-secret");
    }

    @Test
    void theBindingCoversEverythingThatDecidesTheRankingButNotThePageSize() {
        SearchSpec base = text("acme", "red");
        String b = PageCursors.binding(base, ModalityFusion.ZSCORE);
        assertThat(PageCursors.binding(text("acme", "red"), ModalityFusion.ZSCORE)).isEqualTo(b);
        assertThat(PageCursors.binding(new SearchSpec("acme", base.query(), Set.of(), 50, false), ModalityFusion.ZSCORE))
                .as("topK may change between pages").isEqualTo(b);
        assertThat(List.of(
                PageCursors.binding(text("globex", "red"), ModalityFusion.ZSCORE),
                PageCursors.binding(text("acme", "red "), ModalityFusion.ZSCORE),
                PageCursors.binding(new SearchSpec("acme", new QueryInput.Text("red", "search", null), Set.of(), 10,
                        false), ModalityFusion.ZSCORE),
                PageCursors.binding(new SearchSpec("acme", base.query(), Set.of("IMAGE"), 10, false),
                        ModalityFusion.ZSCORE),
                PageCursors.binding(new SearchSpec("acme", base.query(), Set.of(), 10, true), ModalityFusion.ZSCORE),
                PageCursors.binding(base, ModalityFusion.RRF),
                PageCursors.binding(base.withFilter(List.of(new RowCondition.AttributeIn("k", List.of("v")))),
                        ModalityFusion.ZSCORE),
                PageCursors.binding(new SearchSpec("acme", new QueryInput.Media("red"), Set.of(), 10, false),
                        ModalityFusion.ZSCORE),
                PageCursors.binding(new SearchSpec("acme", new QueryInput.Image(new byte[] {1, 2}), Set.of(), 10,
                        false), ModalityFusion.ZSCORE)))
                .doesNotContain(b).doesNotHaveDuplicates();
        assertThat(PageCursors.binding(new SearchSpec("acme", base.query(), Set.of("IMAGE", "TEXT"), 10, false),
                ModalityFusion.ZSCORE)).as("modality order does not matter").isEqualTo(PageCursors.binding(
                new SearchSpec("acme", base.query(), new java.util.LinkedHashSet<>(List.of("TEXT", "IMAGE")), 10,
                        false), ModalityFusion.ZSCORE));
        // A text cannot pass for another field.
        assertThat(PageCursors.binding(new SearchSpec("acme", new QueryInput.Text("a", "b", null), Set.of(), 10,
                false), ModalityFusion.ZSCORE)).isNotEqualTo(PageCursors.binding(new SearchSpec("acme",
                new QueryInput.Text("a;task=1:b", null, null), Set.of(), 10, false), ModalityFusion.ZSCORE));
    }
}
