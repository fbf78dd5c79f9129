package io.tessera.client.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.Modality;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaFilesTest {

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 0};
    private static final byte[] MP4 = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0};

    @Test
    void contentTypeComesFromTheBytesThenTheExtension() {
        assertThat(MediaFiles.contentType(PNG, "photo.jpg")).contains("image/png");
        assertThat(MediaFiles.contentType(JPEG, "x")).contains("image/jpeg");
        assertThat(MediaFiles.contentType(MP4, "clip.bin")).contains("video/mp4");
        assertThat(MediaFiles.contentType(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}, "a")).contains("video/webm");
        assertThat(MediaFiles.contentType("%PDF-1.7".getBytes(), "doc")).contains("application/pdf");
        assertThat(MediaFiles.contentType("hello".getBytes(), "notes.TXT")).contains("text/plain");
        assertThat(MediaFiles.contentType("hello".getBytes(), "archive.zip")).isEmpty();
        assertThat(MediaFiles.modalityOf("application/pdf")).isEqualTo(Modality.DOCUMENT);
        assertThat(MediaFiles.modalityOf("video/webm")).isEqualTo(Modality.VIDEO);
        assertThat(MediaFiles.modalityOf("text/markdown")).isEqualTo(Modality.TEXT);
    }

    @Test
    void smallFilesTravelInlineAndLargeOnesAsFileReferences(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small.png"), PNG);
        MediaFiles.Prepared inline = MediaFiles.prepare(small, "acme", 100, null, Map.of("k", "v"), null);
        assertThat(inline.inline()).isTrue();
        assertThat(inline.event().getContent()).isInstanceOf(InlineBytes.class);
        assertThat(inline.event().getModality()).isEqualTo(Modality.IMAGE);
        assertThat(inline.event().getAttributes()).containsEntry("filename", "small.png").containsEntry("k", "v");
        assertThat(inline.event().getTenant()).isEqualTo("acme");

        byte[] big = new byte[500];
        System.arraycopy(MP4, 0, big, 0, MP4.length);
        Path large = Files.write(dir.resolve("clip.mp4"), big);
        MediaFiles.Prepared ref = MediaFiles.prepare(large, "acme", 100, "find clips", null, null);
        assertThat(ref.inline()).isFalse();
        ContentReference content = (ContentReference) ref.event().getContent();
        assertThat(content.getUri()).startsWith("file:/").endsWith("clip.mp4");
        assertThat(content.getSizeBytes()).isEqualTo(500L);
        assertThat(content.getSha256()).hasSize(64);
        assertThat(ref.event().getInstruction()).isEqualTo("find clips");

        Path text = Files.writeString(dir.resolve("notes.txt"), "red circles");
        assertThat(((InlineText) MediaFiles.prepare(text, "acme", 100, null, null, null).event().getContent()).getText())
                .isEqualTo("red circles");
    }

    @Test
    void mediaIdsAreStablePerTenantAndContent(@TempDir Path dir) throws Exception {
        Path a = Files.write(dir.resolve("a.png"), PNG);
        Path b = Files.write(dir.resolve("b.png"), PNG);
        String idA = MediaFiles.prepare(a, "acme", 100, null, null, null).mediaId();
        assertThat(MediaFiles.prepare(b, "acme", 100, null, null, null).mediaId()).isEqualTo(idA);
        assertThat(MediaFiles.prepare(a, "globex", 100, null, null, null).mediaId()).isNotEqualTo(idA);
        assertThat(idA).matches("m-[0-9a-f]{24}");
        assertThat(MediaFiles.prepare(a, "acme", 100, null, null, "my-id").mediaId()).isEqualTo("my-id");
    }

    @Test
    void textWithoutAnExtensionIsPlainText(@TempDir Path dir) throws Exception {
        Path licence = Files.writeString(dir.resolve("GPL-3"), "GNU GENERAL PUBLIC LICENSE\n\tVersion 3, 29 June 2007\n"
                + "Everyone is permitted to copy and distribute verbatim copies — ünïcödé too.\n");
        MediaFiles.Prepared p = MediaFiles.prepare(licence, "acme", 1 << 20, null, null, null);
        assertThat(p.event().getContentType()).isEqualTo("text/plain");
        assertThat(p.event().getModality()).isEqualTo(io.tessera.events.Modality.TEXT);
        // A multi-byte character cut at the end of a sample is still text; a cut at the end of the file is not.
        byte[] cut = java.util.Arrays.copyOf("ab ü".getBytes(java.nio.charset.StandardCharsets.UTF_8), 4);
        assertThat(MediaFiles.looksLikeText(cut, false)).isTrue();
        assertThat(MediaFiles.looksLikeText(cut, true)).isFalse();
        Path binary = Files.write(dir.resolve("blob"), new byte[] {'a', 'b', 0, 'c'});
        assertThatThrownBy(() -> MediaFiles.prepare(binary, "acme", 100, null, null, null))
                .hasMessageContaining("unknown content type");
        Path latin1 = Files.write(dir.resolve("old"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        assertThatThrownBy(() -> MediaFiles.prepare(latin1, "acme", 100, null, null, null))
                .hasMessageContaining("unknown content type");
    }

    @Test
    void unknownOrEmptyFilesAreRefused(@TempDir Path dir) throws Exception {
        Path zip = Files.write(dir.resolve("a.zip"), new byte[] {'P', 'K', 3, 4});
        assertThatThrownBy(() -> MediaFiles.prepare(zip, "acme", 100, null, null, null))
                .hasMessageContaining("unknown content type");
        Path empty = Files.write(dir.resolve("e.png"), new byte[0]);
        assertThatThrownBy(() -> MediaFiles.prepare(empty, "acme", 100, null, null, null)).hasMessageContaining("empty");
    }

    @Test
    void directoriesAreWalkedSkippingHiddenFiles(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("sub/b.png"), PNG);
        Files.write(dir.resolve("a.png"), PNG);
        Files.write(dir.resolve(".hidden.png"), PNG);
        assertThat(MediaFiles.expand(java.util.List.of(dir))).extracting(p -> dir.relativize(p).toString())
                .containsExactly("a.png", "sub/b.png");
    }
}
