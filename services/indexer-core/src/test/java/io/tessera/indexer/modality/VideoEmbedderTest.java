package io.tessera.indexer.modality;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.events.Modality;
import io.tessera.indexer.IndexerSettings;
import io.tessera.indexer.TestMedia;
import io.tessera.media.DecodedMedia;
import io.tessera.media.RgbImage;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A video frame with OCR text is combined with it as a document page is with its text; other frames are not. */
class VideoEmbedderTest {

    private static EmbeddingRuntime runtime;

    @BeforeAll
    static void loadModel() {
        runtime = EmbeddingRuntime.start(DefaultModels.installBundled(DefaultModels.defaultStore(),
                DefaultModels.TESSERA_TINY), RuntimeConfig.defaults().withDevice(Device.CPU));
    }

    @AfterAll
    static void closeModel() {
        runtime.close();
    }

    private static RgbImage frame(long seed) {
        BufferedImage picture = TestMedia.picture(seed, 224, 224);
        byte[] rgb = new byte[224 * 224 * 3];
        for (int y = 0, i = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++, i += 3) {
                int p = picture.getRGB(x, y);
                rgb[i] = (byte) (p >> 16);
                rgb[i + 1] = (byte) (p >> 8);
                rgb[i + 2] = (byte) p;
            }
        }
        return new RgbImage(224, 224, rgb);
    }

    @Test
    void frameWithOcrTextBlendsItsImageAndTextEmbeddings() throws Exception {
        String caption = "the lighthouse keeper returns home";
        RgbImage plain = frame(1);
        RgbImage captioned = frame(2);
        DecodedMedia.DecodedVideo video = new DecodedMedia.DecodedVideo(
                new DecodedMedia.ContentInfo(1, "0".repeat(64)),
                List.of(new DecodedMedia.VideoFrame(0, 0, 1000, plain),
                        new DecodedMedia.VideoFrame(1, 1000, 2000, captioned, caption, DecodedMedia.TextOrigin.OCR)),
                2000, 1000, 224, 224, "h264", true);
        IndexerSettings settings = IndexerSettings.builder(Modality.VIDEO).build();

        ItemVectors vectors = ItemEmbedder.forModality(Modality.VIDEO, settings)
                .embed(runtime, TestMedia.inline("v-1", "acme", Modality.VIDEO, "video/mp4", new byte[1]), video)
                .get(60, TimeUnit.SECONDS);

        float[] plainImage = image(plain);
        float[] captionedImage = image(captioned);
        float[] text = runtime.embedTexts(List.of(new TextInput(caption, settings.documentTextTask(), null)))
                .get(0).vector();
        assertThat(Vectors.cosine(vectors.segments().get(0).vector(), plainImage)).isGreaterThan(0.9999);
        float[] expected = Vectors.blended(captionedImage, text, settings.pageTextWeight());
        assertThat(Vectors.cosine(vectors.segments().get(1).vector(), expected)).isGreaterThan(0.9999);
        assertThat(Vectors.cosine(vectors.segments().get(1).vector(), text))
                .isGreaterThan(Vectors.cosine(captionedImage, text));
        assertThat(vectors.segments()).extracting(ItemVectors.Segment::startMs).containsExactly(0L, 1000L);
    }

    @Test
    void identicalConsecutiveFramesBecomeOneMomentUnlessMergingIsOff() throws Exception {
        RgbImage still = frame(3);
        RgbImage other = frame(4);
        List<DecodedMedia.VideoFrame> frames = List.of(new DecodedMedia.VideoFrame(0, 0, 1000, still),
                new DecodedMedia.VideoFrame(1, 1000, 2000, still), new DecodedMedia.VideoFrame(2, 2000, 3000, still),
                new DecodedMedia.VideoFrame(3, 3000, 3500, other));
        DecodedMedia.DecodedVideo video = new DecodedMedia.DecodedVideo(new DecodedMedia.ContentInfo(1, "0".repeat(64)),
                frames, 3500, 1000, 224, 224, "h264", true);
        var item = TestMedia.inline("v-2", "acme", Modality.VIDEO, "video/mp4", new byte[1]);

        ItemVectors merged = ItemEmbedder.forModality(Modality.VIDEO, IndexerSettings.builder(Modality.VIDEO).build())
                .embed(runtime, item, video).get(60, TimeUnit.SECONDS);
        ItemVectors perFrame = ItemEmbedder.forModality(Modality.VIDEO,
                IndexerSettings.builder(Modality.VIDEO).momentSimilarity(1.0).build())
                .embed(runtime, item, video).get(60, TimeUnit.SECONDS);

        assertThat(merged.segments()).extracting(ItemVectors.Segment::index).containsExactly(0, 1);
        assertThat(merged.segments()).extracting(ItemVectors.Segment::startMs).containsExactly(0L, 3000L);
        assertThat(merged.segments()).extracting(ItemVectors.Segment::endMs).containsExactly(3000L, 3500L);
        assertThat(Vectors.cosine(merged.segments().get(0).vector(), image(still))).isGreaterThan(0.9999);
        assertThat(perFrame.segments()).hasSize(4);
        // The whole video stays the mean over frames: the still picture counts three times.
        assertThat(Vectors.cosine(merged.whole(), perFrame.whole())).isGreaterThan(0.9999);
        assertThat(Vectors.cosine(merged.whole(), Vectors.pooled(List.of(image(still), image(still), image(still),
                image(other))))).isGreaterThan(0.9999);
    }

    private static float[] image(RgbImage image) {
        return runtime.embedImages(List.of(ImageInput.ofRgb(image.rgb(), image.width(), image.height())))
                .get(0).vector();
    }
}
