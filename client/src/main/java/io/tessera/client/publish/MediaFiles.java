package io.tessera.client.publish;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Turns a local file into a {@link MediaArrived}: content type sniffed from the bytes (the extension only where bytes
 * cannot tell, e.g. plain text), modality from the content type, the content inline below a size threshold and a
 * {@code file:} reference (with size and sha256) above it, and a mediaId derived from tenant and content so that
 * publishing the same file again replaces the item instead of duplicating it.
 */
public final class MediaFiles {

    /** A file ready to publish. */
    public record Prepared(Path file, String mediaId, MediaArrived event, boolean inline) {
    }

    private static final Map<String, String> TEXT_EXTENSIONS = Map.of(
            "txt", "text/plain", "md", "text/markdown", "csv", "text/csv", "json", "application/json",
            "html", "text/html", "htm", "text/html", "xml", "text/xml");

    private MediaFiles() {
    }

    /**
     * @param inlineMaxBytes files up to this size travel inside the event; larger ones as a {@code file:} reference
     *                       (the broker's default message limit is 1 MiB: keep well below it)
     * @throws IllegalArgumentException when the file's type is not one Tessera indexes
     */
    public static Prepared prepare(Path file, String tenant, long inlineMaxBytes, String instruction,
                                   Map<String, String> attributes, String mediaIdOverride) throws IOException {
        Path real = file.toRealPath();
        long size = Files.size(real);
        if (size == 0) {
            throw new IllegalArgumentException(file + " is empty");
        }
        byte[] head = new byte[64];
        int headLength;
        try (InputStream in = Files.newInputStream(real)) {
            headLength = in.readNBytes(head, 0, head.length);
        }
        String contentType = contentType(Arrays.copyOf(head, headLength), real.getFileName().toString())
                .or(() -> plainText(real, size))
                .orElseThrow(() -> new IllegalArgumentException(file + ": unknown content type (Tessera indexes"
                        + " images, videos, PDF documents and texts)"));
        Modality modality = modalityOf(contentType);
        String sha256 = sha256(real);
        String mediaId = mediaIdOverride != null ? mediaIdOverride : mediaId(tenant, sha256);
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("filename", real.getFileName().toString());
        if (attributes != null) {
            attrs.putAll(attributes);
        }
        boolean inline = size <= inlineMaxBytes;
        Object content;
        if (!inline) {
            content = ContentReference.newBuilder().setUri(real.toUri().toString()).setSizeBytes(size)
                    .setSha256(sha256).build();
        } else if (modality == Modality.TEXT) {
            content = InlineText.newBuilder().setText(utf8(real)).build();
        } else {
            content = InlineBytes.newBuilder().setData(ByteBuffer.wrap(Files.readAllBytes(real))).build();
        }
        MediaArrived event = MediaArrived.newBuilder()
                .setMediaId(mediaId).setTenant(tenant).setModality(modality).setContentType(contentType)
                .setContent(content).setInstruction(instruction).setAttributes(attrs)
                .setOccurredAt(Instant.now()).build();
        return new Prepared(real, mediaId, event, inline);
    }

    /** The files given and those under the directories given (walked recursively, sorted, hidden files left out). */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().startsWith("."))
                            .sorted()
                            .forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** {@code m-} and 24 hex characters of sha256(tenant, content sha256): stable, and distinct across tenants. */
    public static String mediaId(String tenant, String contentSha256) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(tenant.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(contentSha256.getBytes(StandardCharsets.US_ASCII));
            return "m-" + HexFormat.of().formatHex(md.digest()).substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Modality modalityOf(String contentType) {
        if (contentType.startsWith("image/")) {
            return Modality.IMAGE;
        }
        if (contentType.startsWith("video/")) {
            return Modality.VIDEO;
        }
        if (contentType.equals("application/pdf")) {
            return Modality.DOCUMENT;
        }
        if (contentType.startsWith("text/") || contentType.equals("application/json")) {
            return Modality.TEXT;
        }
        throw new IllegalArgumentException("content type " + contentType + " is not indexed by Tessera");
    }

    /** Sniffs the magic bytes of the formats the decoders read; falls back to the extension for texts. */
    public static Optional<String> contentType(byte[] head, String fileName) {
        if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(head, 0x89, 'P', 'N', 'G')) {
            return Optional.of("image/png");
        }
        if (startsWith(head, 'G', 'I', 'F', '8')) {
            return Optional.of("image/gif");
        }
        if (startsWith(head, 'B', 'M') && head.length >= 14) {
            return Optional.of("image/bmp");
        }
        if (startsWith(head, 'R', 'I', 'F', 'F') && head.length >= 12 && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') {
            return Optional.of("image/webp");
        }
        if (startsWith(head, '%', 'P', 'D', 'F')) {
            return Optional.of("application/pdf");
        }
        if (head.length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            String brand = new String(head, 8, 4, StandardCharsets.US_ASCII);
            return Optional.of(brand.startsWith("qt") ? "video/quicktime" : "video/mp4");
        }
        if (startsWith(head, 0x1A, 0x45, 0xDF, 0xA3)) {
            return Optional.of("video/webm");
        }
        int dot = fileName.lastIndexOf('.');
        String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        return Optional.ofNullable(TEXT_EXTENSIONS.get(ext));
    }

    /** How much of a file without a known type is read to decide whether it is plain text. */
    static final int TEXT_SNIFF_BYTES = 64 * 1024;

    /**
     * {@code text/plain} for a file that no magic number and no extension names but that is UTF-8 text (a licence
     * file, a README, {@code GPL-3}): its first {@value #TEXT_SNIFF_BYTES} bytes decode as UTF-8 (a character cut at
     * the end of the sample is fine) and hold no control characters other than tab, line and page breaks.
     */
    static Optional<String> plainText(Path file, long size) {
        byte[] sample;
        try (InputStream in = Files.newInputStream(file)) {
            sample = in.readNBytes(TEXT_SNIFF_BYTES);
        } catch (IOException e) {
            return Optional.empty();
        }
        return looksLikeText(sample, sample.length >= size) ? Optional.of("text/plain") : Optional.empty();
    }

    static boolean looksLikeText(byte[] sample, boolean wholeFile) {
        java.nio.CharBuffer chars = java.nio.CharBuffer.allocate(sample.length);
        var result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(sample), chars, wholeFile);
        if (result.isError()) {
            return false;
        }
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static String utf8(Path file) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + " is not UTF-8 text", e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
