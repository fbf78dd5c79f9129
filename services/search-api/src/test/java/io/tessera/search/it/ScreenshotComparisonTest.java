package io.tessera.search.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreenshotComparisonTest {

    @TempDir
    Path dir;

    private Path png(String name, int width, Color fill, int changedPixels, int nudge) throws Exception {
        BufferedImage image = new BufferedImage(width, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(fill);
        g.fillRect(0, 0, width, 100);
        g.dispose();
        for (int i = 0; i < changedPixels; i++) {
            image.setRGB(i % width, i / width, 0x000000);
        }
        image.setRGB(width - 1, 99, new Color(fill.getRed() - nudge, fill.getGreen(), fill.getBlue()).getRGB());
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void smallDifferencesPassAndLargeOnesLeaveTheActualAndADiff() throws Exception {
        Path reference = png("reference.png", 100, new Color(200, 200, 200), 0, 0);
        Path close = png("close.png", 100, new Color(200, 200, 200), 50, 30);
        ScreenshotComparison.Result ok = ScreenshotComparison.compare(close, reference, dir.resolve("out-ok"));
        assertThat(ok.matches()).as(ok.message()).isTrue();
        assertThat(dir.resolve("out-ok")).doesNotExist();

        Path far = png("far.png", 100, new Color(200, 200, 200), 500, 0);
        ScreenshotComparison.Result bad = ScreenshotComparison.compare(far, reference, dir.resolve("out"));
        assertThat(bad.matches()).isFalse();
        assertThat(bad.message()).contains("500 of 10000 pixels", SearchPageIT.UPDATE_PROPERTY);
        assertThat(dir.resolve("out/results-page.actual.png")).exists();
        BufferedImage diff = ImageIO.read(dir.resolve("out/results-page.diff.png").toFile());
        assertThat(diff.getRGB(0, 0) & 0xffffff).isEqualTo(0xff0000);
        assertThat(diff.getRGB(99, 50) & 0xffffff).isNotEqualTo(0xff0000);

        Path wider = png("wider.png", 120, new Color(200, 200, 200), 0, 0);
        assertThat(ScreenshotComparison.compare(wider, reference, dir.resolve("out2")).message()).contains("120x100");
    }
}
