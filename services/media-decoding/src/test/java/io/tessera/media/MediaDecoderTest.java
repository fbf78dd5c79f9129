package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point: each modality by reference from a file root, as an indexer calls it. */
class MediaDecoderTest {

    @TempDir
    Path root;

    @Test
    void everyModalityDecodesFromAFileReference() throws Exception {
        Path jpeg = Files.write(root.resolve("a.jpg"),
                ImageEncoder.encode(TestMedia.halves(100, 80, Color.RED, Color.RED), ImageEncoder.Format.JPEG));
        Path webm = root.resolve("b.webm");
        VideoWriter.write(webm, VideoWriter.Format.WEBM_VP8, 10, TestMedia.secondsClip(64, 48, 10, 2));
        Path pdf = Files.write(root.resolve("c.pdf"), TestMedia.pdf(List.of("one", "two"), PDRectangle.A6));
        Path txt = Files.writeString(root.resolve("d.txt"), "plain words in a file");

        try (MediaDecoder decoder = new MediaDecoder(FetchConfig.builder().fileRoot(root).build())) {
            DecodedMedia image = decoder.decode(ref(jpeg), Modality.IMAGE);
            DecodedMedia video = decoder.decode(ref(webm), Modality.VIDEO);
            DecodedMedia doc = decoder.decode(ref(pdf), Modality.DOCUMENT);
            DecodedMedia text = decoder.decode(ref(txt), Modality.TEXT);

            assertEquals(100, assertInstanceOf(DecodedMedia.DecodedImage.class, image).image().width());
            assertEquals(List.of(0L, 1000L), assertInstanceOf(DecodedMedia.DecodedVideo.class, video).frames().stream()
                    .map(DecodedMedia.VideoFrame::startMs).toList());
            assertEquals(2, doc.segmentCount());
            assertEquals("plain words in a file",
                    assertInstanceOf(DecodedMedia.DecodedText.class, text).chunks().get(0).text());
            assertEquals(Files.size(jpeg), image.content().sizeBytes());
            assertEquals(Modality.VIDEO, video.modality());
        }
    }

    @Test
    void rejectionsAndTransientFaultsAreTellApartByType() {
        MediaException rejected = new MediaRejectedException(RejectReason.CORRUPT_IMAGE, "x");
        MediaException transientFault = new TransientMediaException(TransientReason.TIMEOUT, "y", null);

        assertFalse(rejected.retriable());
        assertTrue(transientFault.retriable());
        assertEquals("CORRUPT_IMAGE", rejected.reasonCode());
        assertEquals("TIMEOUT", transientFault.reasonCode());
        assertTrue(rejected.getMessage().startsWith("CORRUPT_IMAGE: "));
    }

    private static MediaSource ref(Path file) {
        return MediaSource.reference(file.toUri().toString());
    }
}
