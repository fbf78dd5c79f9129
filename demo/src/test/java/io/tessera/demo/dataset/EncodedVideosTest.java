package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.media.DecodedMedia.DecodedVideo;
import io.tessera.media.DecodedMedia.VideoFrame;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaSource;
import io.tessera.media.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The videos as the indexers will see them: encoded by the media library, decoded by it at one frame a second.
 * After lossy compression every sampled frame inside a moment must still show the moment's colour in its cell.
 */
class EncodedVideosTest {

    @TempDir
    static Path dir;
    static DatasetManifest first;
    static DatasetManifest second;

    @BeforeAll
    static void generateTwice() throws Exception {
        DatasetGenerator generator = new DatasetGenerator(VideoEncoder.mediaLibrary());
        first = generator.generate(new DatasetSpec(11, 26), dir.resolve("first"));
        second = generator.generate(new DatasetSpec(11, 26), dir.resolve("second"));
    }

    @Test
    void sampledFramesShowEachMomentsColourInItsCell() throws Exception {
        int checked = 0;
        try (MediaDecoder decoder = new MediaDecoder(FetchConfig.defaults())) {
            for (ManifestItem item : first.items(Modality.VIDEO)) {
                byte[] bytes = Files.readAllBytes(dir.resolve("first").resolve(item.file()));
                DecodedVideo video = (DecodedVideo) decoder.decode(MediaSource.bytes(bytes, item.contentType()),
                        io.tessera.media.Modality.VIDEO);
                assertEquals(item.video().width(), video.sourceWidth());
                assertEquals(item.video().height(), video.sourceHeight());
                assertEquals(item.file().endsWith(".webm") ? "vp8" : "h264", video.codec());
                assertTrue(Math.abs(video.durationMs() - item.video().durationMs()) <= 1000 / item.video().fps(),
                        item.mediaId() + " lasts " + video.durationMs() + " ms");
                for (VideoFrame frame : video.frames()) {
                    Moment moment = item.moments().stream()
                            .filter(m -> frame.startMs() >= m.startMs() + DatasetSpec.TRANSITION_MS
                                    && frame.startMs() < m.endMs())
                            .findFirst().orElse(null);
                    if (moment != null) {
                        checkColourInCell(item.mediaId() + "@" + frame.startMs(), frame.image(), moment.attributes());
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked >= first.items(Modality.VIDEO).size() * 3, "frames checked: " + checked);
    }

    /** Pixels near the moment's colour: most of them in the expected cell, few anywhere else. */
    private static void checkColourInCell(String what, RgbImage image, Map<String, String> a) {
        int target = Colour.valueOf(a.get("color").toUpperCase()).rgb;
        Map<String, Integer> perCell = new HashMap<>();
        byte[] rgb = image.rgb();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = 3 * (y * image.width() + x);
                int dr = (rgb[i] & 0xFF) - (target >> 16 & 0xFF);
                int dg = (rgb[i + 1] & 0xFF) - (target >> 8 & 0xFF);
                int db = (rgb[i + 2] & 0xFF) - (target & 0xFF);
                if (dr * dr + dg * dg + db * db <= 40 * 40) {
                    perCell.merge(Pictures.cell(x, y, image.width(), image.height()), 1, Integer::sum);
                }
            }
        }
        int inCell = perCell.getOrDefault(a.get("position"), 0);
        assertTrue(inCell >= 25, what + ": " + a.get("color") + " pixels per cell " + perCell + ", expected "
                + a.get("position"));
        perCell.forEach((cell, n) -> {
            if (!cell.equals(a.get("position"))) {
                assertTrue(n * 4 < inCell, what + ": " + a.get("color") + " pixels per cell " + perCell);
            }
        });
    }

    @Test
    void videoFilesOfBothContainersAreByteIdenticalAcrossRuns() {
        Map<String, String> hashes = new HashMap<>();
        second.items(Modality.VIDEO).forEach(i -> hashes.put(i.file(), i.sha256()));
        int mp4 = 0;
        int webm = 0;
        for (ManifestItem item : first.items(Modality.VIDEO)) {
            mp4 += item.file().endsWith(".mp4") ? 1 : 0;
            webm += item.file().endsWith(".webm") ? 1 : 0;
            assertEquals(item.sha256(), hashes.get(item.file()), item.file());
        }
        assertTrue(mp4 >= 2, "mp4 videos: " + mp4);
        assertTrue(webm >= 1, "webm videos: " + webm);
    }
}
