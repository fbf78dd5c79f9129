package io.tessera.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.Device;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaDecoder;
import io.tessera.media.Modality;
import io.tessera.media.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decoding towards the model's input size (JPEG subsampled by the reader, {@link ModelDecodeOptions}) must not change
 * what the model sees more than a resize would: on real photos, the default model's embedding of the subsampled
 * decode stays within cosine 0.99 of the full decode's. Measured on a 2592x1936 and a 5184x3456 camera photo,
 * subsampled to 1x the model's side (256): 0.930 / 0.979; 1.5x: 0.971 / 0.985; 2x: 0.981 / 0.985; 3x: 0.990 / 0.992;
 * 4x: not subsampled / 0.993. Hence {@link io.tessera.embedding.model.ModelManifest.ImageTower#SUBSAMPLED_SIDE_PER_MODEL_SIDE} = 4.
 *
 * <p>Real photos are not checked into this repository; the test looks for JPEGs at least twice the model's input
 * side in the directories of {@code -Dtessera.test.photos=DIR[,DIR...]}, else under {@code ~/go/pkg/mod} and
 * {@code /usr/share} (Go module test data and documentation often carry camera photos), and is skipped when there are
 * none.
 */
class SubsampledDecodeEmbeddingTest {

    private static final int MAX_PHOTOS = 20;

    @Test
    void subsampledJpegEmbedsLikeTheFullDecode(@TempDir Path store) throws Exception {
        LocalModelStore models = new LocalModelStore(store);
        var dir = DefaultModels.openOrInstall(models, DefaultModels.TESSERA_BASE);
        ModelManifest.ImageTower tower = dir.manifest().image();
        int target = ModelDecodeOptions.imageTarget(DecodeOptions.defaults().imageTargetShortSide(), tower);
        assertThat(target).as("4 x tessera-base's 256 (its short side before the 224 crop)").isEqualTo(1024);

        List<Path> photos = photos(2 * target);
        Assumptions.assumeFalse(photos.isEmpty(), "no JPEG photo of at least " + 2 * target
                + " px on the short side found (-Dtessera.test.photos=DIR)");

        DecodeOptions full = DecodeOptions.builder().imageTargetShortSide(0).extractPageText(false).build();
        DecodeOptions subsampled = full.toBuilder().imageTargetShortSide(target).build();
        RuntimeConfig config = RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1).withWarmUp(false);
        try (MediaDecoder decoder = new MediaDecoder(FetchConfig.defaults(), full);
             EmbeddingRuntime runtime = EmbeddingRuntime.start(dir, config)) {
            List<String> report = new ArrayList<>();
            double worst = 1;
            for (Path photo : photos) {
                byte[] bytes = Files.readAllBytes(photo);
                FetchedContent content = new FetchedContent(bytes, "0".repeat(64), Optional.of("image/jpeg"),
                        photo.toString());
                RgbImage whole = ((DecodedMedia.DecodedImage) decoder.decode(content, Modality.IMAGE, full)).image();
                RgbImage small = ((DecodedMedia.DecodedImage) decoder.decode(content, Modality.IMAGE, subsampled))
                        .image();
                assertThat(Math.min(small.width(), small.height())).as(photo.toString())
                        .isGreaterThanOrEqualTo(target).isLessThan(Math.min(whole.width(), whole.height()));
                List<Embedding> e = runtime.embedImages(List.of(
                        ImageInput.ofRgb(whole.rgb(), whole.width(), whole.height()),
                        ImageInput.ofRgb(small.rgb(), small.width(), small.height())));
                double cosine = cosine(e.get(0).vector(), e.get(1).vector());
                worst = Math.min(worst, cosine);
                report.add(String.format(Locale.ROOT, "%s %dx%d -> %dx%d cosine %.4f", photo.getFileName(),
                        whole.width(), whole.height(), small.width(), small.height(), cosine));
            }
            System.out.println("subsampled decode vs full decode, tessera-base (worst " + worst + "):\n  "
                    + String.join("\n  ", report));
            assertThat(worst).as("the lowest cosine of a subsampled decode's embedding with the full one's: "
                    + report).isGreaterThanOrEqualTo(0.99);
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** JPEGs whose short side is at least {@code minShortSide}, distinct by size, smallest files first. */
    private static List<Path> photos(int minShortSide) throws IOException {
        List<Path> roots = new ArrayList<>();
        String configured = System.getProperty("tessera.test.photos", "");
        if (!configured.isBlank()) {
            Arrays.stream(configured.split(",")).map(String::strip).map(Path::of).forEach(roots::add);
        } else {
            roots.add(Path.of(System.getProperty("user.home"), "go", "pkg", "mod"));
            roots.add(Path.of("/usr/share"));
        }
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.find(root, 12, (p, a) -> a.isRegularFile() && a.size() > 40_000
                    && a.size() < 20_000_000 && p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.jpe?g"))) {
                files.forEach(found::add);
            } catch (java.io.UncheckedIOException e) {
                // an unreadable directory: use what was found
            }
        }
        found.sort(Comparator.comparingLong(SubsampledDecodeEmbeddingTest::size));
        List<Path> photos = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (Path p : found) {
            long size = size(p);
            int shortSide = shortSide(p);
            if (shortSide >= minShortSide && !sizes.contains(size) && photos.size() < MAX_PHOTOS) {
                photos.add(p);
                sizes.add(size);
            }
        }
        return photos;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    private static int shortSide(Path p) {
        try (ImageInputStream in = ImageIO.createImageInputStream(p.toFile())) {
            var readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return 0;
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                return Math.min(reader.getWidth(0), reader.getHeight(0));
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
