package io.tessera.trainer.round;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The report's PNG: the batch loss of every step of every ingredient (top), and validation mean recall@1 before and
 * after every round so far (bottom). Drawn with Java2D, headless: a charting library would be a dependency for two
 * line plots.
 */
public final class ReportChart {

    static final int WIDTH = 960;
    static final int HEIGHT = 720;
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private ReportChart() {
    }

    public static void write(TrainingReport report, Path file) throws IOException {
        BufferedImage image = render(report);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available");
        }
    }

    static BufferedImage render(TrainingReport report) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString(report.modelName() + " v" + report.version() + " (from v" + report.parentVersion() + "): "
                    + report.decision().status(), 20, 26);
            lossPanel(g, report, new Box(70, 60, WIDTH - 100, 300));
            recallPanel(g, report, new Box(70, 420, WIDTH - 100, 250));
        } finally {
            g.dispose();
        }
        return img;
    }

    private record Box(int x, int y, int w, int h) {
        int right() {
            return x + w;
        }

        int bottom() {
            return y + h;
        }
    }

    private static void lossPanel(Graphics2D g, TrainingReport r, Box b) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int steps = 1;
        for (TrainingReport.IngredientReport i : r.ingredients()) {
            steps = Math.max(steps, i.loss().size());
            for (double v : i.loss()) {
                if (Double.isFinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (!(max > min)) {
            min = Double.isFinite(min) ? min - 1 : 0;
            max = min + 2;
        }
        axes(g, b, "batch loss per step (one line per ingredient)", "step", min, max, 0, steps - 1);
        int c = 0;
        for (TrainingReport.IngredientReport i : r.ingredients()) {
            g.setColor(PALETTE[c % PALETTE.length]);
            g.setStroke(new BasicStroke(1.4f));
            Path2D path = new Path2D.Double();
            List<Double> loss = i.loss();
            for (int s = 0; s < loss.size(); s++) {
                double px = b.x() + (steps == 1 ? 0 : (double) s / (steps - 1) * b.w());
                double py = b.bottom() - (loss.get(s) - min) / (max - min) * b.h();
                if (s == 0) {
                    path.moveTo(px, py);
                } else {
                    path.lineTo(px, py);
                }
            }
            g.draw(path);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format(Locale.ROOT, "%s%s (w %.2f)", i.runId(), i.included() ? "" : " [not in soup]",
                    i.weight()), b.right() - 250, b.y() + 14 + 14 * c);
            c++;
        }
    }

    private static void recallPanel(Graphics2D g, TrainingReport r, Box b) {
        List<TrainingReport.RoundPoint> h = r.history();
        double min = 1;
        double max = 0;
        for (TrainingReport.RoundPoint p : h) {
            min = Math.min(min, Math.min(p.before(), p.after()));
            max = Math.max(max, Math.max(p.before(), p.after()));
        }
        min = Math.max(0, Math.floor(min * 10 - 0.5) / 10);
        max = Math.min(1, Math.ceil(max * 10 + 0.5) / 10);
        if (!(max > min)) {
            min = 0;
            max = 1;
        }
        axes(g, b, "validation mean recall@1 per round: before (grey) and after (promoted green, rejected red)",
                "model version", min, max, h.isEmpty() ? 0 : h.get(0).version(), h.isEmpty() ? 1 : h.get(h.size() - 1).version());
        int n = h.size();
        for (int k = 0; k < n; k++) {
            TrainingReport.RoundPoint p = h.get(k);
            int cx = b.x() + (n == 1 ? b.w() / 2 : (int) ((double) k / (n - 1) * b.w()));
            int yb = (int) (b.bottom() - (p.before() - min) / (max - min) * b.h());
            int ya = (int) (b.bottom() - (p.after() - min) / (max - min) * b.h());
            g.setColor(Color.GRAY);
            g.fillOval(cx - 5, yb - 5, 10, 10);
            g.setColor("PROMOTED".equals(p.status()) ? new Color(0x2ca02c) : new Color(0xd62728));
            g.setStroke(new BasicStroke(2f));
            g.drawLine(cx, yb, cx, ya);
            g.fillOval(cx - 6, ya - 6, 12, 12);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            g.drawString(String.format(Locale.ROOT, "v%d %.3f", p.version(), p.after()), cx + 8, ya - 4);
        }
    }

    private static void axes(Graphics2D g, Box b, String title, String xLabel, double yMin, double yMax, double xMin,
                             double xMax) {
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(b.x(), b.y(), b.w(), b.h());
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(b.x(), b.y(), b.w(), b.h());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, b.x(), b.y() - 8);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = yMin + (yMax - yMin) * i / 4;
            int y = (int) (b.bottom() - (double) i / 4 * b.h());
            g.setColor(new Color(0xdddddd));
            g.drawLine(b.x(), y, b.right(), y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3f", v), b.x() - 45, y + 4);
        }
        g.drawString(String.format(Locale.ROOT, "%s %.0f", xLabel, xMin), b.x(), b.bottom() + 16);
        String right = String.format(Locale.ROOT, "%.0f", xMax);
        g.drawString(right, b.right() - g.getFontMetrics().stringWidth(right), b.bottom() + 16);
    }
}
