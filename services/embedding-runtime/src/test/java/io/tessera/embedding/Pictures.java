package io.tessera.embedding;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;

/** Synthetic pictures like the demo's: one shape of a colour, size and place on a plain background. */
public final class Pictures {
    private Pictures() {}

    public static final String[] SHAPES = {"circle", "square", "triangle", "star", "cross", "ring", "diamond",
        "hexagon"};

    /**
     * @param cx centre x as a fraction of the width
     * @param cy centre y as a fraction of the height
     * @param size shape diameter as a fraction of the side
     */
    public static BufferedImage shape(int side, String shape, Color colour, double cx, double cy, double size,
            Color background) {
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(background);
            g.fillRect(0, 0, side, side);
            g.setColor(colour);
            double r = size * side / 2;
            double x = cx * side;
            double y = cy * side;
            switch (shape) {
                case "circle" -> g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
                case "square" -> g.fill(new java.awt.geom.Rectangle2D.Double(x - r * 0.85, y - r * 0.85, 1.7 * r,
                        1.7 * r));
                case "triangle" -> g.fill(polygon(x, y, r, 3, -Math.PI / 2));
                case "hexagon" -> g.fill(polygon(x, y, r, 6, 0));
                case "diamond" -> g.fill(polygon(x, y, r, 4, -Math.PI / 2));
                case "star" -> g.fill(star(x, y, r));
                case "cross" -> {
                    g.fill(new java.awt.geom.Rectangle2D.Double(x - r, y - r * 0.3, 2 * r, 0.6 * r));
                    g.fill(new java.awt.geom.Rectangle2D.Double(x - r * 0.3, y - r, 0.6 * r, 2 * r));
                }
                case "ring" -> {
                    g.setStroke(new BasicStroke((float) (r * 0.35)));
                    g.draw(new Ellipse2D.Double(x - r * 0.82, y - r * 0.82, 1.64 * r, 1.64 * r));
                }
                default -> throw new IllegalArgumentException(shape);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    private static Polygon polygon(double x, double y, double r, int n, double phase) {
        Polygon p = new Polygon();
        for (int i = 0; i < n; i++) {
            double a = phase + 2 * Math.PI * i / n;
            p.addPoint((int) Math.round(x + r * Math.cos(a)), (int) Math.round(y + r * Math.sin(a)));
        }
        return p;
    }

    private static Path2D star(double x, double y, double r) {
        Path2D.Double p = new Path2D.Double();
        for (int i = 0; i < 10; i++) {
            double a = -Math.PI / 2 + Math.PI * i / 5;
            double rr = i % 2 == 0 ? r : r * 0.42;
            if (i == 0) {
                p.moveTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
            } else {
                p.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** Packed RGB bytes of a picture (for the raw-bytes input path). */
    public static byte[] rgb(BufferedImage img) {
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }
}
