package io.tessera.demo.dataset;

import java.awt.image.BufferedImage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Reads back what a generated picture shows, from its pixels alone. */
final class Pictures {

    private Pictures() {
    }

    /** A connected region (4-neighbourhood) of pixels of one exact colour. */
    record Blob(int pixels, int minX, int minY, int maxX, int maxY, double centreX, double centreY) {

        int extent() {
            return Math.max(maxX - minX + 1, maxY - minY + 1);
        }
    }

    static List<Blob> blobs(BufferedImage image, int rgb, int minPixels) {
        int w = image.getWidth();
        int h = image.getHeight();
        boolean[] seen = new boolean[w * h];
        List<Blob> out = new ArrayList<>();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (seen[y * w + x] || (image.getRGB(x, y) & 0xFFFFFF) != rgb) {
                    continue;
                }
                ArrayDeque<int[]> queue = new ArrayDeque<>();
                queue.add(new int[] {x, y});
                seen[y * w + x] = true;
                int n = 0;
                long sx = 0;
                long sy = 0;
                int minX = x;
                int minY = y;
                int maxX = x;
                int maxY = y;
                while (!queue.isEmpty()) {
                    int[] p = queue.poll();
                    n++;
                    sx += p[0];
                    sy += p[1];
                    minX = Math.min(minX, p[0]);
                    maxX = Math.max(maxX, p[0]);
                    minY = Math.min(minY, p[1]);
                    maxY = Math.max(maxY, p[1]);
                    int[][] next = {{p[0] + 1, p[1]}, {p[0] - 1, p[1]}, {p[0], p[1] + 1}, {p[0], p[1] - 1}};
                    for (int[] q : next) {
                        if (q[0] >= 0 && q[1] >= 0 && q[0] < w && q[1] < h && !seen[q[1] * w + q[0]]
                                && (image.getRGB(q[0], q[1]) & 0xFFFFFF) == rgb) {
                            seen[q[1] * w + q[0]] = true;
                            queue.add(q);
                        }
                    }
                }
                if (n >= minPixels) {
                    out.add(new Blob(n, minX, minY, maxX, maxY, (double) sx / n, (double) sy / n));
                }
            }
        }
        return out;
    }

    /**
     * The extent (larger side of the bounding box) of a shape with its outline: pixels of its fill or outline colour
     * within the slot-sized square around the blob. Measuring the fill alone would miss a star's thin tips, which
     * the outline covers.
     */
    static int extentWithOutline(BufferedImage image, Blob blob, double slot, int fill, int... outlines) {
        int x0 = (int) Math.max(0, Math.floor(blob.centreX() - slot / 2));
        int x1 = (int) Math.min(image.getWidth() - 1, Math.ceil(blob.centreX() + slot / 2));
        int y0 = (int) Math.max(0, Math.floor(blob.centreY() - slot / 2));
        int y1 = (int) Math.min(image.getHeight() - 1, Math.ceil(blob.centreY() + slot / 2));
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                boolean ours = rgb == fill;
                for (int outline : outlines) {
                    ours |= rgb == outline;
                }
                if (ours) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return Math.max(maxX - minX + 1, maxY - minY + 1);
    }

    /** The grid cell ("top left", …) a point of a w x h picture lies in. */
    static String cell(double x, double y, int w, int h) {
        String[] rows = {"top", "", "bottom"};
        String[] columns = {"left", "", "right"};
        String row = rows[(int) Math.min(2, Math.floor(y / (h / 3.0)))];
        String column = columns[(int) Math.min(2, Math.floor(x / (w / 3.0)))];
        String name = (row + " " + column).trim();
        return name.isEmpty() ? "center" : name;
    }

    /**
     * Which texture fills the square {@code [x0, x0+size) x [y0, y0+size)}, judged from its pixels: one tone is
     * plain; rows of one tone each that change down the square are a gradient; two tones constant along diagonals
     * are stripes, constant in aligned 16-pixel blocks a checkerboard, mostly light with sparse dark pixels dots;
     * several tones in no such order are noise.
     */
    static String texture(BufferedImage image, int x0, int y0, int size) {
        java.util.Map<Integer, Integer> tones = new java.util.HashMap<>();
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                tones.merge(image.getRGB(x, y) & 0xFFFFFF, 1, Integer::sum);
            }
        }
        int commonest = tones.values().stream().max(Integer::compare).orElseThrow();
        if (tones.size() == 1) {
            return "plain";
        }
        boolean rowsConstant = true;
        for (int y = y0; y < y0 + size && rowsConstant; y++) {
            for (int x = x0; x < x0 + size; x++) {
                if (image.getRGB(x, y) != image.getRGB(x0, y)) {
                    rowsConstant = false;
                    break;
                }
            }
        }
        if (rowsConstant) {
            return "gradient";
        }
        if (tones.size() > 2) {
            return "noise";
        }
        boolean diagonal = true;
        boolean blocks = true;
        for (int y = y0 + 1; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size - 1; x++) {
                diagonal &= image.getRGB(x, y) == image.getRGB(x + 1, y - 1);
                blocks &= image.getRGB(x, y) == image.getRGB(x - x % 16, y - y % 16);
            }
        }
        if (diagonal) {
            return "striped";
        }
        if (blocks) {
            return "checkered";
        }
        return size * size - commonest < size * size / 4 ? "dotted" : "noise";
    }
}
