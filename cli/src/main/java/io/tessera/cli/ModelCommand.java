package io.tessera.cli;

import io.tessera.demo.run.EventPublisher;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelImporter;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStoreException;
import io.tessera.events.ModelStatus;
import io.tessera.events.ModelVersion;
import io.tessera.events.Topics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./tessera model import|list|show|verify}: bring real model exports in, inspect the model store. */
@Command(name = "model", description = "Bring a real model export into the model store and inspect the store.",
        subcommands = {ModelCommand.Import.class, ModelCommand.ListModels.class, ModelCommand.Show.class,
                ModelCommand.Verify.class, ModelCommand.SynthesizeClip.class})
final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The model store every subcommand works on. */
    static final class StoreOption {
        @Option(names = "--models-dir", paramLabel = "DIR",
                description = "The model store (default: TESSERA_MODELS_DIR or <repo>/.tessera/models, the one the"
                        + " services use).")
        Path modelsDir;

        LocalModelStore store() {
            return new LocalModelStore(modelsDir != null ? modelsDir : DefaultModels.defaultStoreRoot());
        }
    }

    /** {@code NAME}, {@code NAME:VERSION} or {@code NAME/VERSION}; see {@link DefaultModels#resolve}. */
    static ModelRef resolve(LocalModelStore store, String spec) {
        return DefaultModels.resolve(store, spec);
    }

    @Command(name = "import", description = {
            "Seal a Hugging Face-style export into the model store: CLIP/SigLIP/OpenCLIP (vision_model.onnx +"
                    + " text_model.onnx, or one model.onnx with both), a sentence-transformers model.onnx"
                    + " (+ 1_Pooling/config.json), with tokenizer.json, preprocessor_config.json, config.json.",
            "Everything the files say is inferred; what they do not say is named with the option that supplies it."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "the export directory")
        Path dir;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the model's name in the store")
        String name;

        @Option(names = "--version", paramLabel = "V", description = "the version (default: the next free one)")
        Integer version;

        @Option(names = "--publish", description = "Publish it as a PROMOTED version on models.published: indexers"
                + " following NAME roll out to it (new collection, backfill, alias flip).")
        boolean publish;

        @Option(names = "--onnx", paramLabel = "FILE", description = "the graph to use (e.g. model_quantized.onnx)")
        String onnx;

        @Option(names = "--text-pooling", paramLabel = "MODE", description = "none, mean, cls or last")
        String textPooling;

        @Option(names = "--image-pooling", paramLabel = "MODE", description = "none, mean, cls or last")
        String imagePooling;

        @Option(names = "--text-output", paramLabel = "NAME", description = "the text graph output to embed from")
        String textOutput;

        @Option(names = "--image-output", paramLabel = "NAME", description = "the image graph output to embed from")
        String imageOutput;

        @Option(names = "--max-length", paramLabel = "N", description = "the text tower's sequence length")
        Integer maxLength;

        @Option(names = "--image-size", paramLabel = "PX", description = "the side of the image tower's square input")
        Integer imageSize;

        @Option(names = "--image-mean", paramLabel = "R,G,B", split = ",", description = "per-channel mean")
        double[] imageMean;

        @Option(names = "--image-std", paramLabel = "R,G,B", split = ",", description = "per-channel std")
        double[] imageStd;

        @Option(names = "--resize", paramLabel = "MODE",
                description = "shortest-edge-center-crop (CLIP), squash (SigLIP) or letterbox")
        String resize;

        @Option(names = "--no-heads", description = "No trainable projection heads (the trainer cannot tune it)")
        boolean noHeads;

        @Option(names = "--dimension", paramLabel = "D",
                description = "the shared space's size when the towers' widths differ (heads map both to D)")
        Integer dimension;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Mixin
        StoreOption store;

        @Mixin
        EventBusOptions bus;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ModelImporter.Options options = new ModelImporter.Options(name, version, description, onnx,
                    pooling(textPooling, "--text-pooling"), pooling(imagePooling, "--image-pooling"), textOutput,
                    imageOutput, maxLength, imageSize, imageMean, imageStd, resizeMode(resize), !noHeads, dimension);
            long begin = System.nanoTime();
            ModelImporter.Result result;
            try {
                result = ModelImporter.importInto(store.store(), dir, options);
            } catch (ModelImporter.ImportException | ModelLoadException | ModelStoreException e) {
                err.println("model import: " + e.getMessage());
                return 2;
            }
            ModelDirectory d = result.directory();
            result.notes().forEach(n -> out.println("  " + n));
            out.printf("imported %s into %s in %.1fs%n", d.ref(), d.root(), (System.nanoTime() - begin) / 1e9);
            printSummary(out, d);
            if (publish) {
                ModelVersion event = ModelVersion.newBuilder()
                        .setModelName(d.ref().name())
                        .setVersion(d.ref().version())
                        .setParentVersion(null)
                        .setArtifactUri(d.root().toUri().toString())
                        .setSha256(d.manifestSha256())
                        .setDimension(d.manifest().dimension())
                        .setStatus(ModelStatus.PROMOTED)
                        .setMetrics(Map.of())
                        .setSoupIngredients(List.of())
                        .setPairsTrained(0)
                        .setCreatedAt(Instant.now())
                        .build();
                String topic = Topics.withPrefix(bus.topicPrefix(), Topics.MODELS_PUBLISHED);
                try (EventPublisher<ModelVersion> publisher = new EventPublisher<>(bus.kafka(),
                        bus.registryUrl(), "tessera-model-import", 1 << 20)) {
                    publisher.publish(topic, List.of(new EventPublisher.Keyed<>(d.ref().name(), event)), n -> { });
                } catch (EventPublisher.PublishException e) {
                    err.println("model import: imported, but publishing to " + topic + " failed: " + e.getMessage()
                            + " (is the stack up? ./tessera stack status)");
                    return 1;
                }
                out.printf("published %s as PROMOTED on %s: indexers following '%s' roll out to it%n", d.ref(), topic,
                        d.ref().name());
            } else {
                out.printf("serve it: ./tessera services up --model %s:%d   (or publish it: --publish)%n",
                        d.ref().name(), d.ref().version());
            }
            out.flush();
            return 0;
        }

        private static ModelManifest.Pooling pooling(String s, String option) {
            if (s == null) {
                return null;
            }
            try {
                return ModelManifest.Pooling.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + " takes none, mean, cls or last, not '" + s + "'");
            }
        }

        private static ModelManifest.Resize resizeMode(String s) {
            if (s == null) {
                return null;
            }
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "shortest-edge-center-crop", "crop" -> ModelManifest.Resize.SHORTEST_EDGE_CENTER_CROP;
                case "squash" -> ModelManifest.Resize.SQUASH;
                case "letterbox" -> ModelManifest.Resize.LETTERBOX;
                default -> throw new IllegalArgumentException("--resize takes shortest-edge-center-crop, squash or"
                        + " letterbox, not '" + s + "'");
            };
        }
    }

    @Command(name = "synthesize-clip", description = {"Generate a CLIP-architecture export with random weights (the"
            + " exact names and shapes of a Hugging Face CLIP export) and import it: a real transformer of a real"
            + " size for benchmarks and tests, on machines that cannot download one.",
            "Its embeddings mean nothing; use it to measure, not to search."})
    static final class SynthesizeClip implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--size", defaultValue = "vit-b-32", paramLabel = "SIZE",
                description = "tiny or vit-b-32 (12+12 layers, width 768/512, patch 32, 224 px; default)")
        String size;

        @Option(names = "--name", paramLabel = "NAME", description = "default clip-synthetic-<size>")
        String name;

        @Option(names = "--seed", defaultValue = "0")
        long seed;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            io.tessera.models.clip.SyntheticClip.Spec s = switch (size) {
                case "tiny" -> io.tessera.models.clip.SyntheticClip.Spec.tiny();
                case "vit-b-32" -> io.tessera.models.clip.SyntheticClip.Spec.vitB32();
                default -> throw new IllegalArgumentException("--size takes tiny or vit-b-32, not '" + size + "'");
            };
            LocalModelStore target = store.store();
            Path export = Files.createTempDirectory(Files.createDirectories(target.root()), ".synthetic-");
            try {
                long t0 = System.nanoTime();
                var result = io.tessera.models.clip.SyntheticClip.write(s,
                        io.tessera.models.clip.SyntheticClip.Options.defaults().withSeed(seed), export);
                out.printf("generated a CLIP %s export (%,d parameters) in %.1fs%n", size, result.parameterCount(),
                        (System.nanoTime() - t0) / 1e9);
                ModelImporter.Result imported = ModelImporter.importInto(target, export,
                        ModelImporter.Options.named(name != null ? name : "clip-synthetic-" + size));
                out.printf("imported %s into %s%n", imported.directory().ref(), imported.directory().root());
                printSummary(out, imported.directory());
            } finally {
                try (Stream<Path> walk = Files.walk(export)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "list", description = "Every model and version in the store.")
    static final class ListModels implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            LocalModelStore s = store.store();
            if (!Files.isDirectory(s.root())) {
                out.println("the model store " + s.root() + " is empty");
                out.flush();
                return 0;
            }
            out.printf("%-28s %7s %5s %-28s %s%n", "MODEL", "VERSION", "DIM", "TOWERS", "PARENT");
            try (Stream<Path> names = Files.list(s.root())) {
                for (Path n : names.filter(Files::isDirectory).sorted().toList()) {
                    String name = n.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    for (int v : s.versions(name)) {
                        ModelRef ref = new ModelRef(name, v);
                        try {
                            ModelManifest m = ModelManifest.fromJson(Files.readString(
                                    s.directoryOf(ref).resolve(ModelManifest.FILE_NAME)));
                            out.printf("%-28s %7d %5d %-28s %s%n", name, v, m.dimension(), towers(m),
                                    m.parentVersion() == null ? "-" : m.parentVersion());
                        } catch (IOException | RuntimeException e) {
                            out.printf("%-28s %7d %5s %-28s %s%n", name, v, "?", "unreadable manifest", "-");
                        }
                    }
                }
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "show", description = "What a model version is: towers, pooling, heads, preprocessing, files.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME[:VERSION]")
        String model;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LocalModelStore s = store.store();
            ModelRef ref = resolve(s, model);
            ModelDirectory d;
            try {
                d = s.open(ref);
            } catch (ModelLoadException | ModelStoreException e) {
                spec.commandLine().getErr().println("model show: " + e.getMessage());
                return 1;
            }
            printSummary(out, d);
            out.println("files:");
            d.manifest().files().forEach((f, sha) -> {
                long size;
                try {
                    size = Files.size(d.file(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                out.printf("  %-40s %12d bytes  sha256 %s%n", f, size, sha.substring(0, 16) + "…");
            });
            out.flush();
            return 0;
        }
    }

    @Command(name = "verify", description = "Check every file's sha256, load the model in ONNX Runtime and embed a"
            + " probe through each tower.")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME[:VERSION]")
        String model;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            LocalModelStore s = store.store();
            ModelRef ref = resolve(s, model);
            long begin = System.nanoTime();
            ModelDirectory d;
            try {
                d = s.open(ref);
            } catch (ModelLoadException | ModelStoreException e) {
                err.println("model verify: " + e.getMessage());
                return 1;
            }
            out.printf("%s: %d files, every sha256 matches (%.1fs)%n", ref, d.manifest().files().size(),
                    (System.nanoTime() - begin) / 1e9);
            RuntimeConfig config = RuntimeConfig.defaults().withDevice(Device.CPU).withWarmUp(false);
            try (EmbeddingRuntime rt = EmbeddingRuntime.start(d, config)) {
                if (d.manifest().image() != null) {
                    BufferedImage probe = new BufferedImage(320, 240, BufferedImage.TYPE_3BYTE_BGR);
                    long t = System.nanoTime();
                    float[] v = rt.embedImages(List.of(ImageInput.of(probe))).get(0).vector();
                    out.printf("  image tower: %d-d vector, finite=%s, %.0f ms%n", v.length, finite(v),
                            (System.nanoTime() - t) / 1e6);
                }
                if (d.manifest().text() != null) {
                    long t = System.nanoTime();
                    float[] v = rt.embedTexts(List.of(TextInput.of("a photo of a cat", null))).get(0).vector();
                    out.printf("  text tower: %d-d vector, finite=%s, %.0f ms%n", v.length, finite(v),
                            (System.nanoTime() - t) / 1e6);
                }
                out.printf("%s verified on %s%n", ref, rt.executionProvider());
            } catch (RuntimeException e) {
                err.println("model verify: " + ref + " does not run: " + e.getMessage());
                return 1;
            }
            out.flush();
            return 0;
        }

        private static boolean finite(float[] v) {
            for (float x : v) {
                if (!Float.isFinite(x)) {
                    return false;
                }
            }
            return true;
        }
    }

    static String towers(ModelManifest m) {
        StringBuilder b = new StringBuilder();
        if (m.image() != null) {
            b.append("image");
        }
        if (m.text() != null) {
            b.append(b.isEmpty() ? "" : "+").append("text");
        }
        boolean heads = (m.image() != null && m.image().head() != null) || (m.text() != null && m.text().head() != null);
        return b + (heads ? " (heads)" : "") + " f" + m.format();
    }

    static void printSummary(PrintWriter out, ModelDirectory d) {
        ModelManifest m = d.manifest();
        out.printf("%s: %d dimensions, format %d%s%n", m.ref(), m.dimension(), m.format(),
                m.description() == null ? "" : ", " + m.description());
        if (m.image() != null) {
            ModelManifest.ImageTower t = m.image();
            out.printf("  image: %s %s -> %s, pooling %s, %s %dpx (shortest edge %d), rescale %.5f, mean %s, std %s,"
                            + " %s%s%n", t.file(), t.input(), t.output(), t.poolingMode().name().toLowerCase(Locale.ROOT),
                    t.resizeMode().name().toLowerCase(Locale.ROOT), t.imageSize(), t.resizeShortestEdge(), t.rescale(),
                    java.util.Arrays.toString(t.mean()), java.util.Arrays.toString(t.std()), t.bgr() ? "BGR" : "RGB",
                    t.head() != null ? ", head " + t.head().file() : t.projections().isEmpty() ? ""
                            : ", in-graph projection " + t.projections().get(0).initializer());
        }
        if (m.text() != null) {
            ModelManifest.TextTower t = m.text();
            out.printf("  text: %s %s%s%s -> %s, pooling %s, max length %d%s%n", t.file(), t.inputIds(),
                    t.attentionMask() == null ? "" : "+" + t.attentionMask(),
                    t.tokenTypeIds() == null ? "" : "+" + t.tokenTypeIds(), t.output(),
                    t.poolingMode().name().toLowerCase(Locale.ROOT), t.maxLength(),
                    t.head() != null ? ", head " + t.head().file() : t.projections().isEmpty() ? ""
                            : ", in-graph projection " + t.projections().get(0).initializer());
        }
    }
}
