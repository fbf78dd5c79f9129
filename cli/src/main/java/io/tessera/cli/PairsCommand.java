package io.tessera.cli;

import io.tessera.demo.console.ProgressLine;
import io.tessera.demo.dataset.DatasetFormatException;
import io.tessera.demo.run.EventPublisher;
import io.tessera.demo.run.PairPublisher;
import io.tessera.events.CuratedPair;
import io.tessera.events.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "pairs", description = "Curated training pairs for the trainer.",
        subcommands = {PairsCommand.Publish.class})
final class PairsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "publish", description = {"Publish a pairs file (JSON lines with the fields of CuratedPair, e.g. a"
            + " dataset's pairs.jsonl; content URIs relative to the file) to pairs.curated, keyed by pairId.",
            "Items given by mediaId are resolved through the catalog: publish the media first."})
    static final class Publish implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "the pairs file (JSON lines)")
        Path file;

        @Mixin

        EventBusOptions bus;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(file)) {
                err.println("pairs publish: " + file + " is not a file");
                return 2;
            }
            List<EventPublisher.Keyed<CuratedPair>> pairs;
            try {
                pairs = PairPublisher.read(file);
            } catch (DatasetFormatException | IllegalArgumentException e) {
                err.println("pairs publish: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                err.println("pairs publish: cannot read " + file + ": " + e.getMessage());
                return 1;
            }
            if (pairs.isEmpty()) {
                err.println("pairs publish: " + file + " holds no pairs");
                return 1;
            }
            String topic = Topics.withPrefix(bus.topicPrefix(), Topics.PAIRS_CURATED);
            ProgressLine progress = new ProgressLine(System.out, ConsoleProgress.stdoutIsTerminal(), "pairs", pairs.size());
            long begin = System.nanoTime();
            int published;
            try {
                published = new PairPublisher(bus.kafka(), bus.registryUrl())
                        .publish(pairs, bus.topicPrefix(), n -> progress.update(n, "acknowledged"));
            } catch (EventPublisher.PublishException e) {
                progress.finish(null);
                err.println("pairs publish: " + e.getMessage());
                return 1;
            }
            progress.finish(null);
            out.printf("published %d pairs from %s to %s in %.1fs%n", published, file, topic,
                    (System.nanoTime() - begin) / 1e9);
            out.flush();
            return 0;
        }
    }
}
