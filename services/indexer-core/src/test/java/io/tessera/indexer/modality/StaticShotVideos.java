package io.tessera.indexer.modality;

import io.tessera.media.VideoWriter;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;

/**
 * Videos of long shots, as a camera gives them, for {@link VideoMomentsBenchmarkTest}: real photographs (scikit-image's
 * sample data, the ones tessera-base was measured on, see TesseraBase) filmed on a tripod, hand-held, panning and
 * zooming, with sensor noise and exposure flicker, joined by hard cuts and dissolves; and a talk's slides (one
 * template, different text). Every shot comes with the query a user would type to find it. H.264, 640x360, 10 fps
 * (the indexer samples one frame a second; the frame rate only sets how much there is to decode).
 */
final class StaticShotVideos {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    static final int FPS = 10;

    enum Camera { TRIPOD, HAND_HELD, PAN, ZOOM }

    enum Transition { CUT, DISSOLVE }

    /** A shot in a generated video: where it lies and what finds it; {@code source} is a photo or a slide title. */
    record Shot(String source, long startMs, long endMs, Camera camera, Transition transitionIn, String query) {
    }

    record Video(String mediaId, Path file, List<Shot> shots) {
    }

    /** A query and the shots (of one video) that answer it. */
    record Query(String text, String mediaId, List<Shot> shots) {
    }

    private record Plan(String source, int seconds, Camera camera, Transition transitionIn, String query) {
    }

    private record Slide(String title, List<String> bullets) {
    }

    private static final List<List<Plan>> PHOTO_VIDEOS = List.of(
            List.of(new Plan("chelsea.png", 40, Camera.TRIPOD, Transition.CUT, "a cat"),
                    new Plan("coffee.png", 20, Camera.HAND_HELD, Transition.CUT, "a cup of coffee"),
                    new Plan("astronaut.png", 30, Camera.ZOOM, Transition.CUT, "an astronaut"),
                    new Plan("rocket.jpg", 15, Camera.TRIPOD, Transition.DISSOLVE, "a rocket"),
                    new Plan("horse.png", 25, Camera.HAND_HELD, Transition.CUT, "a horse")),
            List.of(new Plan("motorcycle_left.png", 15, Camera.TRIPOD, Transition.CUT, "a motorcycle"),
                    // The same scene from a camera a little to the right: a cut the colours do not show.
                    new Plan("motorcycle_right.png", 15, Camera.TRIPOD, Transition.CUT, "a motorcycle"),
                    new Plan("moon.png", 30, Camera.ZOOM, Transition.DISSOLVE, "the moon"),
                    new Plan("coins.png", 20, Camera.PAN, Transition.CUT, "coins"),
                    new Plan("camera.png", 20, Camera.TRIPOD, Transition.CUT, "a man with a camera")),
            List.of(new Plan("hubble_deep_field.jpg", 30, Camera.PAN, Transition.CUT, "galaxies in deep space"),
                    new Plan("retina.jpg", 20, Camera.TRIPOD, Transition.CUT, "the retina of an eye"),
                    new Plan("clock_motion.png", 20, Camera.HAND_HELD, Transition.CUT, "a clock"),
                    new Plan("ihc.png", 20, Camera.TRIPOD, Transition.DISSOLVE, "cells under a microscope"),
                    new Plan("page.png", 15, Camera.TRIPOD, Transition.CUT, "a page of a book")));

    private static final List<Slide> SLIDES = List.of(
            new Slide("Quarterly revenue by region", List.of("Europe grew twelve percent", "Asia flat after the spring",
                    "Americas down three percent")),
            new Slide("Hiring plan for the support team", List.of("Six new engineers by June",
                    "Two team leads in Berlin", "Onboarding takes four weeks")),
            new Slide("Data center migration timeline", List.of("Storage moves in March", "Databases follow in April",
                    "Old racks retired in May")),
            new Slide("Customer satisfaction survey", List.of("Response rate of forty percent",
                    "Shipping speed rated highest", "Support hours rated lowest")));
    private static final int SLIDE_SECONDS = 15;

    private StaticShotVideos() {
    }

    /** Writes the videos into {@code dir}: three of photographs, one of slides. */
    static List<Video> generate(Path wheel, Path dir) throws IOException {
        List<Video> videos = new ArrayList<>();
        try (ZipFile zip = new ZipFile(wheel.toFile())) {
            for (int v = 0; v < PHOTO_VIDEOS.size(); v++) {
                List<Plan> plans = PHOTO_VIDEOS.get(v);
                List<BufferedImage> photos = new ArrayList<>();
                for (Plan p : plans) {
                    photos.add(photo(zip, p.source()));
                }
                videos.add(write("shots-" + (v + 1), dir, plans, photos, v + 1));
            }
        }
        List<Plan> plans = new ArrayList<>();
        List<BufferedImage> slides = new ArrayList<>();
        for (Slide s : SLIDES) {
            plans.add(new Plan(s.title(), SLIDE_SECONDS, Camera.TRIPOD, Transition.CUT,
                    s.title().toLowerCase(Locale.ROOT)));
            slides.add(slide(s));
        }
        videos.add(write("slides", dir, plans, slides, 9));
        return videos;
    }

    /** One query per distinct query text, answered by every shot that has it (the motorcycle's two views). */
    static List<Query> queries(List<Video> videos) {
        List<Query> out = new ArrayList<>();
        for (Video v : videos) {
            for (String text : v.shots().stream().map(Shot::query).distinct().toList()) {
                out.add(new Query(text, v.mediaId(), v.shots().stream().filter(s -> s.query().equals(text)).toList()));
            }
        }
        return out;
    }

    private static Video write(String mediaId, Path dir, List<Plan> plans, List<BufferedImage> pictures, long seed)
            throws IOException {
        Path file = dir.resolve(mediaId + ".mp4");
        Random random = new Random(seed);
        NoiseBank noise = new NoiseBank(random);
        List<Shot> shots = new ArrayList<>();
        int frame = 0;
        try (VideoWriter writer = VideoWriter.open(file, VideoWriter.Format.MP4_H264, WIDTH, HEIGHT, FPS)) {
            BufferedImage last = null;
            for (int s = 0; s < plans.size(); s++) {
                Plan p = plans.get(s);
                int frames = p.seconds() * FPS;
                shots.add(new Shot(p.source(), frame * 1000L / FPS, (frame + frames) * 1000L / FPS, p.camera(),
                        p.transitionIn(), p.query()));
                double[] shake = new double[2];
                for (int f = 0; f < frames; f++, frame++) {
                    BufferedImage picture = film(pictures.get(s), p.camera(), f / (double) (frames - 1), shake,
                            random);
                    if (p.transitionIn() == Transition.DISSOLVE && last != null && f < FPS) {
                        picture = mix(last, picture, (f + 1.0) / (FPS + 1));
                    }
                    noise.apply(picture, 1 + 0.02 * Math.sin(2 * Math.PI * frame / 37.0));
                    writer.write(picture);
                    if (f == frames - 1) {
                        last = picture;
                    }
                }
            }
        }
        return new Video(mediaId, file, shots);
    }

    /** The picture through the camera at {@code t} in [0, 1] of the shot. */
    private static BufferedImage film(BufferedImage picture, Camera camera, double t, double[] shake, Random random) {
        double zoom = 1.08;
        double dx = 0;
        double dy = 0;
        switch (camera) {
            case TRIPOD -> {
            }
            case HAND_HELD -> {
                // A damped random walk: a few pixels of drift, steadied again.
                shake[0] = 0.95 * shake[0] + random.nextGaussian() * 0.8;
                shake[1] = 0.95 * shake[1] + random.nextGaussian() * 0.8;
                dx = shake[0];
                dy = shake[1];
            }
            case PAN -> {
                zoom = 1.35;
                dx = (0.5 - t) * 0.25 * WIDTH;
            }
            case ZOOM -> zoom = 1.05 + 0.25 * t;
        }
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        double scale = zoom * Math.max((double) WIDTH / picture.getWidth(), (double) HEIGHT / picture.getHeight());
        AffineTransform at = new AffineTransform();
        at.translate(WIDTH / 2.0 + dx, HEIGHT / 2.0 + dy);
        at.scale(scale, scale);
        at.translate(-picture.getWidth() / 2.0, -picture.getHeight() / 2.0);
        g.drawImage(picture, at, null);
        g.dispose();
        return out;
    }

    private static BufferedImage mix(BufferedImage from, BufferedImage to, double w) {
        int[] a = pixels(from);
        int[] b = pixels(to);
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        int[] o = pixels(out);
        for (int i = 0; i < o.length; i++) {
            int r = (int) Math.round(((a[i] >> 16) & 0xff) * (1 - w) + ((b[i] >> 16) & 0xff) * w);
            int gr = (int) Math.round(((a[i] >> 8) & 0xff) * (1 - w) + ((b[i] >> 8) & 0xff) * w);
            int bl = (int) Math.round((a[i] & 0xff) * (1 - w) + (b[i] & 0xff) * w);
            o[i] = r << 16 | gr << 8 | bl;
        }
        return out;
    }

    private static int[] pixels(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    /** Sensor noise (sigma 3 levels per channel), drawn from a few pre-computed planes so frames stay cheap. */
    private static final class NoiseBank {
        private final byte[][] planes = new byte[8][];
        private final Random random;

        NoiseBank(Random random) {
            this.random = random;
            for (int k = 0; k < planes.length; k++) {
                planes[k] = new byte[WIDTH * HEIGHT * 3];
                for (int i = 0; i < planes[k].length; i++) {
                    planes[k][i] = (byte) Math.max(-127, Math.min(127, Math.round(random.nextGaussian() * 3)));
                }
            }
        }

        void apply(BufferedImage image, double gain) {
            byte[] n = planes[random.nextInt(planes.length)];
            int[] px = pixels(image);
            for (int i = 0, j = 0; i < px.length; i++, j += 3) {
                int r = clamp((int) (((px[i] >> 16) & 0xff) * gain) + n[j]);
                int g = clamp((int) (((px[i] >> 8) & 0xff) * gain) + n[j + 1]);
                int b = clamp((int) ((px[i] & 0xff) * gain) + n[j + 2]);
                px[i] = r << 16 | g << 8 | b;
            }
        }

        private static int clamp(int v) {
            return v < 0 ? 0 : Math.min(255, v);
        }
    }

    private static BufferedImage photo(ZipFile wheel, String name) throws IOException {
        ZipEntry entry = wheel.getEntry("skimage/data/" + name);
        if (entry == null) {
            throw new IOException(name + " is not in " + wheel.getName());
        }
        try (InputStream in = wheel.getInputStream(entry)) {
            BufferedImage read = ImageIO.read(in);
            BufferedImage rgb = new BufferedImage(read.getWidth(), read.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(read, 0, 0, null);
            g.dispose();
            return rgb;
        }
    }

    /** A slide of the talk's template: navy, a header band, a title and three bullets. */
    private static BufferedImage slide(Slide slide) {
        BufferedImage out = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(18, 32, 74));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(new Color(40, 70, 140));
        g.fillRect(0, 0, WIDTH, 84);
        g.setColor(new Color(240, 180, 40));
        g.fillOval(WIDTH - 70, 20, 44, 44);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 30));
        g.drawString(slide.title(), 32, 56);
        g.setColor(new Color(220, 225, 235));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 24));
        for (int i = 0; i < slide.bullets().size(); i++) {
            g.fillOval(40, 138 + i * 60, 10, 10);
            g.drawString(slide.bullets().get(i), 64, 150 + i * 60);
        }
        g.dispose();
        return out;
    }

    static Path requireWheel(String property) {
        String configured = System.getProperty(property);
        if (configured == null || !Files.isRegularFile(Path.of(configured))) {
            throw new UncheckedIOException(new IOException("-D" + property + " must name scikit-image 0.17.1's wheel"
                    + " (the bench profile downloads it: -Pbench), was " + configured));
        }
        return Path.of(configured);
    }
}
