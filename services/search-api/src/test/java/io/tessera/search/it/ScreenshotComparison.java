package io.tessera.search.it;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * A tolerant pixel comparison of a screenshot with a checked-in reference: a pixel differs when one of its channels
 * is off by more than {@link #CHANNEL_TOLERANCE} (anti-aliasing and JPEG thumbnails wobble by less), and the pages
 * match when at most {@link #MAX_DIFFERING_SHARE} of the pixels differ (a score's last digit may change with the CPU
 * the model ran on). On a mismatch the actual screenshot and a diff image (differing pixels red over a faded copy of
 * the reference) are left under target/ for a person to look at.
 */
final class ScreenshotComparison {

    static final int CHANNEL_TOLERANCE = 40;
    static final double MAX_DIFFERING_SHARE = 0.01;

    record Result(boolean matches, String message) {
    }

    private ScreenshotComparison() {
    }

    static Result compare(Path actualPng, Path referencePng, Path failureDir) throws IOException {
        BufferedImage actual = ImageIO.read(actualPng.toFile());
        BufferedImage reference = ImageIO.read(referencePng.toFile());
        if (actual.getWidth() != reference.getWidth() || actual.getHeight() != reference.getHeight()) {
            return failed(actualPng, null, failureDir, "the screenshot is " + actual.getWidth() + "x" + actual.getHeight()
                    + " but the reference " + referencePng + " is " + reference.getWidth() + "x" + reference.getHeight());
        }
        int w = actual.getWidth();
        int h = actual.getHeight();
        BufferedImage diff = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        long differing = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int a = actual.getRGB(x, y);
                int r = reference.getRGB(x, y);
                int delta = Math.max(Math.abs(((a >> 16) & 0xff) - ((r >> 16) & 0xff)),
                        Math.max(Math.abs(((a >> 8) & 0xff) - ((r >> 8) & 0xff)), Math.abs((a & 0xff) - (r & 0xff))));
                if (delta > CHANNEL_TOLERANCE) {
                    differing++;
                    diff.setRGB(x, y, 0xff0000);
                } else {
                    int grey = (((r >> 16) & 0xff) + ((r >> 8) & 0xff) + (r & 0xff)) / 3;
                    int faded = 255 - (255 - grey) / 4;
                    diff.setRGB(x, y, (faded << 16) | (faded << 8) | faded);
                }
            }
        }
        double share = (double) differing / ((long) w * h);
        String summary = String.format("%d of %d pixels (%.3f %%) differ from %s by more than %d per channel (at most"
                + " %.1f %% may)", differing, (long) w * h, share * 100, referencePng, CHANNEL_TOLERANCE,
                MAX_DIFFERING_SHARE * 100);
        return share <= MAX_DIFFERING_SHARE ? new Result(true, summary) : failed(actualPng, diff, failureDir, summary);
    }

    private static Result failed(Path actualPng, BufferedImage diff, Path failureDir, String why) throws IOException {
        Files.createDirectories(failureDir);
        Path actualCopy = failureDir.resolve("results-page.actual.png");
        Files.copy(actualPng, actualCopy, StandardCopyOption.REPLACE_EXISTING);
        String where = "actual: " + actualCopy.toAbsolutePath();
        if (diff != null) {
            Path diffFile = failureDir.resolve("results-page.diff.png");
            ImageIO.write(diff, "png", diffFile.toFile());
            where += ", diff: " + diffFile.toAbsolutePath();
        }
        return new Result(false, why + " (" + where + "). If the change is intended, regenerate the reference with"
                + " -D" + SearchPageIT.UPDATE_PROPERTY + "=true and check the new image in.");
    }
}
