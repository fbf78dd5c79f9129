package io.tessera.media.internal;

import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.RejectReason;
import io.tessera.media.TextChunk;
import io.tessera.media.TextChunker;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Text: bytes decoded strictly (UTF-8 unless the content type names a charset), then chunked. */
public final class TextDecoding {

    private TextDecoding() {
    }

    /** Text that arrived as a string: no charset to decode. */
    public static DecodedMedia.DecodedText decode(String text, FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        return chunk(text, content, options);
    }

    public static DecodedMedia.DecodedText decode(FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        Charset charset = charsetOf(content.contentType(), content.origin());
        byte[] bytes = content.bytes();
        // A text longer than the cap in chars is longer than the cap in UTF-16 units too; fail before decoding it.
        if (bytes.length / 4 > options.maxTextChars()) {
            throw tooLong(content, bytes.length + " bytes", options);
        }
        String text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MediaRejectedException(RejectReason.INVALID_TEXT, content.origin() + " is not valid "
                    + charset.name() + " text (" + e + "); send UTF-8 or name the charset in the content type", e);
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return chunk(text, content, options);
    }

    private static DecodedMedia.DecodedText chunk(String text, FetchedContent content, DecodeOptions options)
            throws MediaRejectedException {
        if (text.length() > options.maxTextChars()) {
            throw tooLong(content, text.length() + " characters", options);
        }
        if (text.indexOf('\0') >= 0) {
            throw new MediaRejectedException(RejectReason.INVALID_TEXT, content.origin()
                    + " contains NUL characters: binary data sent as text?");
        }
        if (text.isBlank()) {
            throw new MediaRejectedException(RejectReason.EMPTY, content.origin() + " has no words");
        }
        List<TextChunk> chunks;
        try {
            chunks = TextChunker.from(options).chunk(text, options.maxChunks());
        } catch (TextChunker.TooManyChunksException e) {
            throw new MediaRejectedException(RejectReason.TEXT_LIMIT, content.origin() + ": " + e.getMessage()
                    + " of " + options.maxChunkTokens() + " tokens", e);
        }
        return new DecodedMedia.DecodedText(new DecodedMedia.ContentInfo(content.bytes().length, content.sha256()),
                text, chunks);
    }

    private static MediaRejectedException tooLong(FetchedContent content, String size, DecodeOptions options) {
        return new MediaRejectedException(RejectReason.TEXT_LIMIT, content.origin() + " has " + size
                + ", more than the limit of " + options.maxTextChars() + " characters");
    }

    static Charset charsetOf(Optional<String> contentType, String origin) throws MediaRejectedException {
        if (contentType.isEmpty()) {
            return StandardCharsets.UTF_8;
        }
        for (String param : contentType.get().split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                String name = p.substring("charset=".length()).trim().replace("\"", "");
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    throw new MediaRejectedException(RejectReason.INVALID_TEXT, origin + " declares charset '" + name
                            + "', which this JVM does not know", e);
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
