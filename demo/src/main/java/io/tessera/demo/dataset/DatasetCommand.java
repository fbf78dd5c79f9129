package io.tessera.demo.dataset;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tessera dataset --seed S --size N --out DIR}: generates the multimodal dataset. Register it as a
 * subcommand of the CLI; {@link DatasetMain} runs it on its own. Exit codes: 0 done, 1 the generation failed
 * (an I/O error), 2 bad arguments.
 */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = {"Generate the multimodal dataset: images, videos with moments, PDF documents and texts of "
                + "shapes, curated training pairs (pairs.jsonl) and a held-out evaluation set (eval.jsonl), "
                + "described by manifest.json. The same seed and size give byte-identical files.",
            "Size N is the number of images; videos and documents are ceil(0.12*N) each, texts ceil(0.3*N); "
                + "a fifth of each is held out for evaluation."})
public class DatasetCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "" + DatasetSpec.DEFAULT_SEED,
            description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "" + DatasetSpec.DEFAULT_SIZE,
            description = "Number of images, " + DatasetSpec.MIN_SIZE + " to " + DatasetSpec.MAX_SIZE
                    + "; everything else scales with it (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Output directory: new, empty, or an earlier dataset (replaced).")
    Path out;

    @Spec
    CommandSpec spec;

    private final VideoEncoder encoder;

    public DatasetCommand() {
        this(null);
    }

    /** With another video encoder (tests); null means the media library's. */
    public DatasetCommand(VideoEncoder encoder) {
        this.encoder = encoder;
    }

    @Override
    public Integer call() {
        // Drawing needs no display; set before anything touches AWT.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        DatasetSpec datasetSpec;
        try {
            datasetSpec = new DatasetSpec(seed, size);
        } catch (InvalidDatasetSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long started = System.nanoTime();
        DatasetManifest manifest;
        try {
            DatasetGenerator generator = encoder == null ? new DatasetGenerator() : new DatasetGenerator(encoder);
            manifest = generator.generate(datasetSpec, out);
        } catch (InvalidDatasetSpecException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        } catch (IOException e) {
            stderr.println("dataset: generation failed: " + e.getMessage());
            stderr.flush();
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        stdout.println(summary(manifest, out, seconds));
        stdout.flush();
        return 0;
    }

    static String summary(DatasetManifest manifest, Path out, double seconds) {
        Map<String, Integer> c = manifest.counts();
        return String.format(Locale.ROOT, """
                dataset seed=%d size=%d written to %s in %.1f s
                  media: %d images, %d videos (%d moments), %d documents (%d pages), %d texts; held out: %d, %d, %d, %d
                  pairs.jsonl: %d training pairs (t2i %d, t2v %d, t2d %d, t2t %d)
                  eval.jsonl: %d held-out queries (t2i %d, t2v %d, t2d %d, t2t %d)
                  manifest.json: format %s/%d""",
                manifest.seed(), manifest.size(), out.toAbsolutePath().normalize(), seconds,
                c.get("images"), c.get("videos"), c.get("moments"), c.get("documents"), c.get("pages"), c.get("texts"),
                c.get("images.eval"), c.get("videos.eval"), c.get("documents.eval"), c.get("texts.eval"),
                c.get("pairs"), c.get("pairs.t2i"), c.get("pairs.t2v"), c.get("pairs.t2d"), c.get("pairs.t2t"),
                c.get("evalQueries"), c.get("evalQueries.t2i"), c.get("evalQueries.t2v"), c.get("evalQueries.t2d"),
                c.get("evalQueries.t2t"), manifest.format(), manifest.formatVersion());
    }
}
