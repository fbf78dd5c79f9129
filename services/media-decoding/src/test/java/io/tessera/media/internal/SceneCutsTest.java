package io.tessera.media.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.media.RgbImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What the pixel test calls a cut and what it lets through as the same shot, on frames at the indexer's size. */
class SceneCutsTest {

    private static final int W = 455;
    private static final int H = 256;

    /** A scene: a gradient with soft blobs in colours drawn from {@code palette}, seen through a window at (dx, dy). */
    private static BufferedImage scene(long seed, Color[] palette, int dx, int dy) {
        Random r = new Random(seed);
        int margin = 60;
        BufferedImage world = new BufferedImage(W + 2 * margin, H + 2 * margin, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = world.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, palette[0], world.getWidth(), world.getHeight(), palette[1]));
        g.fillRect(0, 0, world.getWidth(), world.getHeight());
        for (int i = 0; i < 40; i++) {
            g.setColor(palette[r.nextInt(palette.length)]);
            int s = 10 + r.nextInt(80);
            g.fillOval(r.nextInt(world.getWidth()), r.nextInt(world.getHeight()), s, s + r.nextInt(40));
        }
        g.dispose();
        return world.getSubimage(margin + dx, margin + dy, W, H);
    }

    private static final Color[] WARM = {new Color(200, 120, 60), new Color(90, 40, 20), new Color(240, 200, 150),
        new Color(150, 60, 40)};
    private static final Color[] COOL = {new Color(40, 80, 160), new Color(10, 20, 50), new Color(120, 190, 230),
        new Color(60, 120, 90)};

    /** The picture as a camera gives it: exposure {@code gain}, sensor noise of {@code sigma} levels. */
    private static RgbImage shot(BufferedImage picture, double gain, double sigma, long noiseSeed) {
        Random r = new Random(noiseSeed);
        byte[] rgb = new byte[W * H * 3];
        for (int y = 0, i = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int p = picture.getRGB(x, y);
                for (int c = 16; c >= 0; c -= 8, i++) {
                    double v = ((p >> c) & 0xff) * gain + r.nextGaussian() * sigma;
                    rgb[i] = (byte) Math.max(0, Math.min(255, (int) Math.round(v)));
                }
            }
        }
        return new RgbImage(W, H, rgb);
    }

    private static boolean cut(RgbImage a, RgbImage b) {
        SceneCuts detector = new SceneCuts();
        assertFalse(detector.next(a), "the first frame");
        return detector.next(b);
    }

    /** The detector's answer for each frame in turn. */
    private static List<Boolean> cuts(List<RgbImage> frames) {
        SceneCuts detector = new SceneCuts();
        List<Boolean> out = new ArrayList<>();
        for (RgbImage f : frames) {
            out.add(detector.next(f));
        }
        return out;
    }

    /** A slide of one template: the title and lines change, nothing else. */
    private static BufferedImage slide(String title, String... lines) {
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(new Color(18, 32, 74));
        g.fillRect(0, 0, W, H);
        g.setColor(new Color(40, 70, 140));
        g.fillRect(0, 0, W, 60);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.drawString(title, 20, 40);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 17));
        for (int i = 0; i < lines.length; i++) {
            g.drawString(lines[i], 30, 100 + 40 * i);
        }
        g.dispose();
        return image;
    }

    @Test
    void aStaticShotWithNoiseAndFlickerIsOneShot() {
        BufferedImage scene = scene(1, WARM, 0, 0);

        assertFalse(cut(shot(scene, 1.0, 3, 1), shot(scene, 1.0, 3, 2)));
        assertFalse(cut(shot(scene, 1.0, 3, 1), shot(scene, 1.08, 3, 2)), "an exposure change of 8 %");
    }

    @Test
    void aPanIsOneShotThoughMostPixelsChanged() {
        RgbImage before = shot(scene(1, WARM, 0, 0), 1.0, 3, 1);
        RgbImage after = shot(scene(1, WARM, 24, 6), 1.0, 3, 2);

        assertTrue(SceneCuts.colourDistance(SceneCuts.signature(before), SceneCuts.signature(after))
                < SceneCuts.COLOUR_THRESHOLD);
        assertFalse(cut(before, after));
    }

    @Test
    void aLongHandHeldShotWithFlickerHasNoCut() {
        Random shake = new Random(5);
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            frames.add(shot(scene(1, WARM, 30 + shake.nextInt(13) - 6, 30 + shake.nextInt(13) - 6),
                    1 + 0.03 * Math.sin(i), 3, i));
        }

        assertFalse(cuts(frames).contains(true));
    }

    @Test
    void theNextSlideIsACutThoughOnlyItsTextChanged() {
        BufferedImage agenda = slide("Agenda", "Where we are", "What we learnt", "What comes next");
        BufferedImage results = slide("Results", "Revenue grew in Europe", "Costs fell by a tenth", "Hiring on track");
        List<RgbImage> frames = List.of(shot(agenda, 1, 2, 1), shot(agenda, 1, 2, 2), shot(agenda, 1, 2, 3),
                shot(results, 1, 2, 4), shot(results, 1, 2, 5));

        SceneCuts.Signature a = SceneCuts.signature(frames.get(2));
        SceneCuts.Signature b = SceneCuts.signature(frames.get(3));
        assertTrue(SceneCuts.structureDistance(a, b) < SceneCuts.STRUCTURE_THRESHOLD
                && SceneCuts.colourDistance(a, b) < SceneCuts.COLOUR_THRESHOLD, "small for a cut between shots");
        assertEquals(List.of(false, false, false, true, false), cuts(frames));
    }

    @Test
    void anotherShotInTheSameColoursIsACut() {
        RgbImage first = shot(scene(1, WARM, 0, 0), 1.0, 3, 1);
        RgbImage second = shot(scene(2, WARM, 0, 0), 1.0, 3, 2);

        assertTrue(SceneCuts.colourDistance(SceneCuts.signature(first), SceneCuts.signature(second))
                < SceneCuts.COLOUR_THRESHOLD, "the colours alone do not tell these shots apart");
        assertTrue(cut(first, second));
    }

    @Test
    void aShotInOtherColoursIsACut() {
        assertTrue(cut(shot(scene(1, WARM, 0, 0), 1.0, 3, 1), shot(scene(1, COOL, 0, 0), 1.0, 3, 2)));
    }

    @Test
    void aFlatFrameAfterAnotherFlatFrameIsACutByColour() {
        BufferedImage black = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        BufferedImage card = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = card.createGraphics();
        g.setColor(new Color(230, 230, 220));
        g.fillRect(0, 0, W, H);
        g.dispose();

        assertTrue(cut(shot(black, 1.0, 2, 1), shot(card, 1.0, 2, 2)));
        assertFalse(cut(shot(black, 1.0, 2, 1), shot(black, 1.0, 2, 2)));
    }

    @Test
    void framesOfDifferentSizesAreNeverTheSameShot() {
        RgbImage small = new RgbImage(224, 224, new byte[224 * 224 * 3]);
        RgbImage large = new RgbImage(W, H, new byte[W * H * 3]);

        assertTrue(cut(small, large));
    }
}
