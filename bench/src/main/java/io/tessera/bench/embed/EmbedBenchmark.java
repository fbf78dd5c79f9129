package io.tessera.bench.embed;

import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.Tower;
import io.tessera.embedding.batch.BatcherConfig;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code ./tessera bench embed}: for each tower and batch size, the throughput of calling the model directly with
 * full batches (raw: the runtime's direct path, i.e. preprocessing or tokenizing into the input buffers plus one
 * ONNX Runtime run per batch) against the same work reached through the dynamic batcher by many concurrent
 * single-item callers (batched: (workers+1)×n closed-loop callers, so that every worker finds a full batch waiting,
 * batcher max size n). Both run at the same thread budget: raw has as many threads calling full batches as the
 * batcher has workers, and both use the same ONNX Runtime intra-op threads per inference (the budget divided by the
 * workers), so the ratio is what the batcher costs and nothing else. Both are measured in the same run, alternately,
 * best of {@code rounds}. One line per case:
 * {@code embed <tower> batch=<n> raw=<items/s> batched=<items/s> ratio=<batched/raw> model=<ref> ep=<provider>
 * threads=<inferences in flight>x<intra-op threads>}, plus {@code added_ms=<median latency the batcher adds to a lone
 * call>} at batch 1 (measured separately, with one caller).
 *
 * <p>Options: {@code --seconds S} per measurement (default 2), {@code --rounds R} (default 2), {@code --device
 * AUTO|CPU|CUDA}, {@code --threads N} (the thread budget: ONNX Runtime threads in all; default the cores),
 * {@code --model NAME[:VERSION]} from the model store or a model directory (default: the live model, i.e.
 * TESSERA_MODEL_NAME or tessera-base, newest version), {@code --towers image,text}, {@code --batches 1,8,32,64},
 * {@code --workers N} (batches in flight per tower; default {@value RuntimeConfig#DEFAULT_BATCH_WORKERS}, as in
 * the services).
 */
public final class EmbedBenchmark {
    private EmbedBenchmark() {}

    public record Options(double seconds, int rounds, Device device, int threads, String model, List<Tower> towers,
            List<Integer> batches, int workers) {
        public static Options parse(String... args) {
            double seconds = 2;
            int rounds = 2;
            Device device = Device.AUTO;
            int threads = Runtime.getRuntime().availableProcessors();
            String model = null;
            List<Tower> towers = List.of(Tower.IMAGE, Tower.TEXT);
            List<Integer> batches = List.of(1, 8, 32, 64);
            int workers = RuntimeConfig.DEFAULT_BATCH_WORKERS;
            for (int i = 0; i < args.length; i++) {
                String v = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--rounds" -> rounds = Integer.parseInt(v);
                    case "--device" -> device = Device.valueOf(v.toUpperCase(Locale.ROOT));
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--model" -> model = v;
                    case "--towers" -> towers = java.util.Arrays.stream(v.split(","))
                            .map(t -> Tower.valueOf(t.strip().toUpperCase(Locale.ROOT))).toList();
                    case "--batches" -> batches = java.util.Arrays.stream(v.split(","))
                            .map(s -> Integer.parseInt(s.strip())).toList();
                    case "--workers" -> workers = Integer.parseInt(v);
                    case "--help", "-h" -> throw new IllegalArgumentException("options: --seconds S, --rounds R,"
                            + " --device AUTO|CPU|CUDA, --threads BUDGET, --model NAME[:V]|DIR, --towers image,text,"
                            + " --batches 1,8,32,64, --workers N");
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--seconds,"
                            + " --rounds, --device, --threads, --model, --towers, --batches, --workers)");
                }
                i++;
            }
            if (workers < 1 || threads < 1) {
                throw new IllegalArgumentException("--workers and --threads must be at least 1");
            }
            return new Options(seconds, rounds, device, threads, model, towers, batches, workers);
        }
    }

    /**
     * A model by store reference ({@code NAME}, {@code NAME:VERSION}) or directory; null means the live model: the
     * one the services are configured with (TESSERA_MODEL_NAME, else tessera-tiny), newest version in the store.
     */
    public static ModelDirectory resolveModel(String spec) {
        if (spec != null && java.nio.file.Files.isDirectory(Path.of(spec))
                && java.nio.file.Files.isRegularFile(Path.of(spec).resolve(ModelManifest.FILE_NAME))) {
            return ModelDirectory.open(Path.of(spec));
        }
        LocalModelStore store = DefaultModels.defaultStore();
        String name = spec;
        if (name == null) {
            String env = System.getenv("TESSERA_MODEL_NAME");
            name = env == null || env.isBlank() ? DefaultModels.DEFAULT.name() : env;
        }
        return DefaultModels.openOrInstall(store, DefaultModels.resolve(store, name));
    }

    public static void main(String[] args) {
        run(Options.parse(args), System.out::println);
    }

    /** Runs every case, handing each result line to {@code out} as soon as it is measured. */
    public static void run(Options o, Consumer<String> out) {
        ModelDirectory model = resolveModel(o.model());
        List<ImageInput> images = images(64);
        List<TextInput> texts = texts(64);
        // The same budget on both sides: `workers` inferences in flight, each with budget/workers intra-op threads.
        int intra = Math.max(1, o.threads() / o.workers());
        for (Tower tower : o.towers()) {
            if ((tower == Tower.IMAGE ? model.manifest().image() : model.manifest().text()) == null) {
                out.accept("# " + model.ref() + " has no " + tower.label() + " tower: skipped");
                continue;
            }
            for (int n : o.batches()) {
                BatcherConfig b = new BatcherConfig(n, Duration.ofMillis(2), 4 * n + 64, Duration.ofSeconds(120),
                        o.workers());
                RuntimeConfig config = RuntimeConfig.defaults().withDevice(o.device()).withThreads(intra, 1)
                        .withBatching(b);
                try (EmbeddingRuntime rt = EmbeddingRuntime.start(model, config)) {
                    Runnable rawBatch = tower == Tower.IMAGE
                            ? () -> rt.embedImages(images.subList(0, n)) : () -> rt.embedTexts(texts.subList(0, n));
                    double raw = 0;
                    double batched = 0;
                    measure(rawBatch, n, o.workers(), Math.min(0.5, o.seconds()));
                    for (int r = 0; r < o.rounds(); r++) {
                        raw = Math.max(raw, measure(rawBatch, n, o.workers(), o.seconds()));
                        batched = Math.max(batched, measureBatched(rt, tower, images, texts, (o.workers() + 1) * n,
                                o.seconds()));
                    }
                    String line = String.format(Locale.ROOT, "embed %s batch=%d raw=%.1f batched=%.1f ratio=%.3f"
                                    + " model=%s ep=%s threads=%dx%d", tower.label(), n, raw, batched, batched / raw,
                            rt.model(), rt.executionProvider(), o.workers(), intra);
                    if (n == 1) {
                        line += String.format(Locale.ROOT, " added_ms=%.3f",
                                addedLatencyMillis(rt, tower, images, texts, o.seconds()));
                    }
                    if (tower == o.towers().get(0) && n == o.batches().get(0)) {
                        out.accept("# model " + rt.model() + " on " + rt.executionProvider() + ", "
                                + Runtime.getRuntime().availableProcessors() + " cores, thread budget " + o.threads()
                                + " (" + o.workers() + " in flight x " + intra + " intra-op), " + o.seconds()
                                + " s per measurement, best of " + o.rounds() + ", raw: " + o.workers()
                                + " thread(s) calling full batches, batched: " + (o.workers() + 1)
                                + "×n single-item callers");
                    }
                    out.accept(line);
                }
            }
        }
    }

    /**
     * What the batcher adds to one call when nothing else is queued: a single caller alternates a direct call of one
     * item and the same item through the batcher, and the medians of the two latencies are subtracted.
     */
    private static double addedLatencyMillis(EmbeddingRuntime rt, Tower tower, List<ImageInput> images,
            List<TextInput> texts, double seconds) {
        List<Long> direct = new ArrayList<>();
        List<Long> batched = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int i = 0; System.nanoTime() < end; i++) {
            int k = i % 64;
            long t0 = System.nanoTime();
            if (tower == Tower.IMAGE) {
                rt.embedImages(List.of(images.get(k)));
            } else {
                rt.embedTexts(List.of(texts.get(k)));
            }
            long t1 = System.nanoTime();
            (tower == Tower.IMAGE ? rt.embedImage(images.get(k)) : rt.embedText(texts.get(k))).join();
            long t2 = System.nanoTime();
            if (i >= 20) {
                direct.add(t1 - t0);
                batched.add(t2 - t1);
            }
        }
        return (median(batched) - median(direct)) / 1e6;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
    }

    /** Items per second of batch calls of n items, repeated for the given time on {@code threads} threads at once. */
    private static double measure(Runnable batch, int n, int threads, double seconds) {
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        AtomicLong items = new AtomicLong();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(Thread.ofPlatform().daemon().start(() -> {
                do {
                    batch.run();
                    items.addAndGet(n);
                } while (System.nanoTime() < end);
            }));
        }
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return items.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Items per second with {@code callers} threads each submitting one item and waiting for it, in a loop. */
    private static double measureBatched(EmbeddingRuntime rt, Tower tower, List<ImageInput> images,
            List<TextInput> texts, int callers, double seconds) {
        // Warm the path (threads, queue) before timing.
        runCallers(rt, tower, images, texts, callers, Math.min(0.3, seconds));
        return runCallers(rt, tower, images, texts, callers, seconds);
    }

    private static double runCallers(EmbeddingRuntime rt, Tower tower, List<ImageInput> images,
            List<TextInput> texts, int callers, double seconds) {
        AtomicLong done = new AtomicLong();
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().daemon().start(() -> {
                int i = id;
                while (System.nanoTime() < end) {
                    CompletableFuture<?> f = tower == Tower.IMAGE ? rt.embedImage(images.get(i % images.size()))
                            : rt.embedText(texts.get(i % texts.size()));
                    f.join();
                    done.incrementAndGet();
                    i += callers;
                }
            }));
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        return done.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /** Pictures as a decoder would deliver them (320×240, so they are cropped and scaled like real inputs). */
    static List<ImageInput> images(int count) {
        String[] shapes = {"circle", "square", "triangle", "diamond"};
        Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.ORANGE, Color.MAGENTA, Color.CYAN};
        List<ImageInput> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(i % 3 == 0 ? Color.WHITE : Color.DARK_GRAY);
            g.fillRect(0, 0, 320, 240);
            g.setColor(colours[i % colours.length]);
            int size = 30 + (i * 17) % 90;
            int x = 20 + (i * 37) % 200;
            int y = 20 + (i * 53) % 120;
            switch (shapes[i % shapes.length]) {
                case "circle" -> g.fillOval(x, y, size, size);
                case "square" -> g.fillRect(x, y, size, size);
                case "triangle" -> g.fillPolygon(new int[] {x, x + size, x + size / 2}, new int[] {y + size,
                    y + size, y}, 3);
                default -> g.fillPolygon(new int[] {x + size / 2, x + size, x + size / 2, x}, new int[] {y,
                    y + size / 2, y + size, y + size / 2}, 4);
            }
            g.dispose();
            out.add(ImageInput.of(img));
        }
        return out;
    }

    static List<TextInput> texts(int count) {
        String[] sizes = {"small", "large", "tiny", "big"};
        String[] colours = {"red", "green", "blue", "yellow", "purple", "orange"};
        String[] shapes = {"circle", "square", "triangle", "star", "hexagon"};
        String[] places = {"top left", "bottom right", "center", "top right", "bottom left"};
        List<TextInput> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(TextInput.of("a " + sizes[i % 4] + " " + colours[i % 6] + " " + shapes[i % 5] + " at the "
                    + places[i % 5] + (i % 2 == 0 ? " on a striped background" : ""), i % 3 == 0 ? "search" : null));
        }
        return out;
    }
}
