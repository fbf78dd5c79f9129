package io.tessera.media;

import static io.tessera.media.TestMedia.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TextDecodingTest {

    private static final MediaDecoder DECODER = new MediaDecoder(FetchConfig.defaults());
    private static final DecodeOptions OPTIONS = DecodeOptions.builder().maxChunkTokens(4).chunkOverlapTokens(1).build();

    @AfterAll
    static void close() {
        DECODER.close();
    }

    private static DecodedMedia.DecodedText decode(MediaSource source, DecodeOptions options) throws MediaException {
        return (DecodedMedia.DecodedText) DECODER.decode(source, Modality.TEXT, options);
    }

    @Test
    void inlineTextIsChunked() throws Exception {
        DecodedMedia.DecodedText text = decode(MediaSource.text("one two three four five six seven"), OPTIONS);

        assertEquals(2, text.chunks().size());
        assertEquals("one two three four", text.chunks().get(0).text());
        assertEquals("four five six seven", text.chunks().get(1).text());
        assertEquals("one two three four five six seven".getBytes(StandardCharsets.UTF_8).length,
                text.content().sizeBytes());
    }

    @Test
    void bytesAreUtf8UnlessTheContentTypeSaysOtherwise() throws Exception {
        byte[] latin1 = "caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1);

        assertRejected(RejectReason.INVALID_TEXT, () -> decode(MediaSource.bytes(latin1), OPTIONS));
        assertEquals("caf\u00e9 cr\u00e8me",
                decode(MediaSource.bytes(latin1, "text/plain; charset=ISO-8859-1"), OPTIONS).text());
    }

    @Test
    void byteOrderMarkIsDropped() throws Exception {
        byte[] bom = "\uFEFFhello".getBytes(StandardCharsets.UTF_8);

        assertEquals("hello", decode(MediaSource.bytes(bom), OPTIONS).text());
    }

    @Test
    void blankTextIsEmptyAndBinaryIsInvalid() {
        assertRejected(RejectReason.EMPTY, () -> decode(MediaSource.text(" \n\t "), OPTIONS));
        assertRejected(RejectReason.INVALID_TEXT, () -> decode(MediaSource.bytes(new byte[] {'a', 0, 'b'}), OPTIONS));
    }

    @Test
    void textOverTheCapsIsRejected() {
        assertRejected(RejectReason.TEXT_LIMIT, () -> decode(MediaSource.text("a b c d e f"),
                OPTIONS.toBuilder().maxTextChars(5).build()));
        assertRejected(RejectReason.TEXT_LIMIT, () -> decode(MediaSource.text("a b c d e f g h i j k l"),
                OPTIONS.toBuilder().maxChunks(2).build()));
    }

    @Test
    void inlineTextCannotBeDecodedAsAnImage() {
        assertRejected(RejectReason.INVALID_REFERENCE,
                () -> DECODER.decode(MediaSource.text("hello"), Modality.IMAGE, OPTIONS));
    }
}
