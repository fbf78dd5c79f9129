package io.tessera.demo.dataset.internal;

import io.tessera.demo.dataset.internal.Vocabulary.Background;
import io.tessera.demo.dataset.internal.Vocabulary.Colour;
import io.tessera.demo.dataset.internal.Vocabulary.Count;
import io.tessera.demo.dataset.internal.Vocabulary.Position;
import io.tessera.demo.dataset.internal.Vocabulary.Shape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws looks with Java2D. Antialiasing is off and every hint that could vary is pinned, so a picture is a pure
 * function of its look and seed, and every shape pixel carries its palette colour exactly (tests count shapes by
 * colour). Backgrounds are computed per pixel from two neutral tones that are not palette colours, and every shape
 * gets an outline so that white, gray and black shapes stand out on any texture. Trigonometry goes through
 * {@link StrictMath}, whose results are fixed bit for bit, unlike {@link Math}'s intrinsics.
 */
public final class SceneRenderer {

    public static final int BACKGROUND_LIGHT = 0xD2C8B4;
    public static final int BACKGROUND_DARK = 0xB0A48E;
    public static final int OUTLINE_DARK = 0x202020;
    public static final int OUTLINE_LIGHT = 0xE4E4E4;

    private static final int STRIPE = 8;
    private static final int CHECKER = 16;
    private static final int DOT_PITCH = 12;
    private static final double DOT_RADIUS = 2.5;
    /** Noise is drawn in square blocks of a few tones: it reads as noise to a model and still compresses. */
    private static final int NOISE_BLOCK = 4;
    private static final int NOISE_LEVELS = 5;

    private SceneRenderer() {
    }

    /** A square picture of {@code look}, {@code size} pixels wide; {@code seed} only drives the noise texture. */
    public static BufferedImage render(Look look, int size, long seed) {
        BufferedImage image = background(look.background(), size, size, seed);
        Graphics2D g = graphics(image);
        try {
            double slot = slotSize(look.count(), size);
            double diameter = slot * look.size().fraction;
            for (Point2D centre : slotCentres(look.position(), look.count(), size, size)) {
                drawShape(g, look.shape(), look.colour(), centre.getX(), centre.getY(), diameter);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    public static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_NORMALIZE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_SPEED);
        g.setRenderingHint(RenderingHints.KEY_DITHERING, RenderingHints.VALUE_DITHER_DISABLE);
        return g;
    }

    public static BufferedImage background(Background background, int width, int height, long seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int blocksX = (width + NOISE_BLOCK - 1) / NOISE_BLOCK;
        int[] noise = new int[blocksX * ((height + NOISE_BLOCK - 1) / NOISE_BLOCK)];
        if (background == Background.NOISE) {
            Random random = new Random(seed);
            for (int i = 0; i < noise.length; i++) {
                noise[i] = blend(random.nextInt(NOISE_LEVELS) / (NOISE_LEVELS - 1.0));
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = switch (background) {
                    case PLAIN -> BACKGROUND_LIGHT;
                    case STRIPED -> ((x + y) / STRIPE) % 2 == 0 ? BACKGROUND_LIGHT : BACKGROUND_DARK;
                    case CHECKERED -> ((x / CHECKER) + (y / CHECKER)) % 2 == 0 ? BACKGROUND_LIGHT : BACKGROUND_DARK;
                    case DOTTED -> onDot(x, y) ? BACKGROUND_DARK : BACKGROUND_LIGHT;
                    case NOISE -> noise[(y / NOISE_BLOCK) * blocksX + x / NOISE_BLOCK];
                    case GRADIENT -> blend(height <= 1 ? 0 : (double) y / (height - 1));
                };
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static boolean onDot(int x, int y) {
        double dx = (x % DOT_PITCH) + 0.5 - DOT_PITCH / 2.0;
        double dy = (y % DOT_PITCH) + 0.5 - DOT_PITCH / 2.0;
        return dx * dx + dy * dy <= DOT_RADIUS * DOT_RADIUS;
    }

    /** A tone between the light (t=0) and dark (t=1) background colours. */
    private static int blend(double t) {
        int r = mix(BACKGROUND_LIGHT >> 16 & 0xFF, BACKGROUND_DARK >> 16 & 0xFF, t);
        int g = mix(BACKGROUND_LIGHT >> 8 & 0xFF, BACKGROUND_DARK >> 8 & 0xFF, t);
        int b = mix(BACKGROUND_LIGHT & 0xFF, BACKGROUND_DARK & 0xFF, t);
        return r << 16 | g << 8 | b;
    }

    private static int mix(int a, int b, double t) {
        return (int) Math.round(a + (b - a) * t);
    }

    /** Side of the square slot each shape of a group of {@code count} gets in a {@code size}-pixel picture. */
    public static double slotSize(Count count, int size) {
        double cell = size / 3.0;
        return count == Count.ONE ? cell : cell / 2;
    }

    /** Centres of the shapes of a group: one in the middle of the cell, or two to four in its quadrants. */
    public static List<Point2D> slotCentres(Position position, Count count, int width, int height) {
        double cellW = width / 3.0;
        double cellH = height / 3.0;
        double cx = (position.column + 0.5) * cellW;
        double cy = (position.row + 0.5) * cellH;
        double qx = cellW / 4;
        double qy = cellH / 4;
        List<Point2D> out = new ArrayList<>();
        switch (count) {
            case ONE -> out.add(new Point2D.Double(cx, cy));
            case TWO -> {
                out.add(new Point2D.Double(cx - qx, cy));
                out.add(new Point2D.Double(cx + qx, cy));
            }
            case THREE -> {
                out.add(new Point2D.Double(cx - qx, cy - qy));
                out.add(new Point2D.Double(cx + qx, cy - qy));
                out.add(new Point2D.Double(cx, cy + qy));
            }
            case FOUR -> {
                out.add(new Point2D.Double(cx - qx, cy - qy));
                out.add(new Point2D.Double(cx + qx, cy - qy));
                out.add(new Point2D.Double(cx - qx, cy + qy));
                out.add(new Point2D.Double(cx + qx, cy + qy));
            }
        }
        return out;
    }

    public static void drawShape(Graphics2D g, Shape shape, Colour colour, double cx, double cy, double diameter) {
        java.awt.Shape outline = outline(shape, cx, cy, diameter);
        g.setColor(colour.awt());
        g.fill(outline);
        g.setColor(new Color(colour == Colour.BLACK ? OUTLINE_LIGHT : OUTLINE_DARK));
        g.setStroke(new BasicStroke(diameter >= 30 ? 2f : 1f));
        g.draw(outline);
    }

    static java.awt.Shape outline(Shape shape, double cx, double cy, double diameter) {
        double r = diameter / 2;
        return switch (shape) {
            case CIRCLE -> new Ellipse2D.Double(cx - r, cy - r, diameter, diameter);
            case SQUARE -> {
                double half = r * 0.86;
                yield new Rectangle2D.Double(cx - half, cy - half, 2 * half, 2 * half);
            }
            case TRIANGLE -> regular(cx, cy + r * 0.15, r, 3, -90);
            case HEXAGON -> regular(cx, cy, r, 6, 0);
            case STAR -> star(cx, cy, r, r * 0.45);
            case CROSS -> {
                double arm = r * 0.36;
                Area area = new Area(new Rectangle2D.Double(cx - r, cy - arm, diameter, 2 * arm));
                area.add(new Area(new Rectangle2D.Double(cx - arm, cy - r, 2 * arm, diameter)));
                yield area;
            }
            case RING -> {
                Area area = new Area(new Ellipse2D.Double(cx - r, cy - r, diameter, diameter));
                double inner = r * 0.5;
                area.subtract(new Area(new Ellipse2D.Double(cx - inner, cy - inner, 2 * inner, 2 * inner)));
                yield area;
            }
            case DIAMOND -> {
                Path2D.Double path = new Path2D.Double();
                path.moveTo(cx, cy - r);
                path.lineTo(cx + r * 0.7, cy);
                path.lineTo(cx, cy + r);
                path.lineTo(cx - r * 0.7, cy);
                path.closePath();
                yield path;
            }
        };
    }

    private static Path2D regular(double cx, double cy, double r, int sides, double startDegrees) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < sides; i++) {
            double a = Math.toRadians(startDegrees + 360.0 * i / sides);
            double x = cx + r * StrictMath.cos(a);
            double y = cy + r * StrictMath.sin(a);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }

    private static Path2D star(double cx, double cy, double outer, double inner) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double a = Math.toRadians(-90 + 36.0 * i);
            double rr = i % 2 == 0 ? outer : inner;
            double x = cx + rr * StrictMath.cos(a);
            double y = cy + rr * StrictMath.sin(a);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        path.closePath();
        return path;
    }
}
