package io.tessera.cli;

import io.tessera.stack.LocalStackManager;
import io.tessera.stack.PartStatus;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackPart;
import io.tessera.stack.StackStatus;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stack",
        description = {"The local stack: Apache Kafka (KRaft) on 127.0.0.1:9092, Apicurio Registry on 127.0.0.1:8081",
                "(Confluent API under /apis/ccompat/v7) and Milvus Lite on 127.0.0.1:19530, as background processes.",
                "Logs, pids and data live under the runtime directory (default .tessera/)."},
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class,
                StackCommand.Logs.class, StackCommand.Reset.class, StackCommand.KafkaEnv.class})
final class StackCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "up", description = "Install what is missing, start every part that is not running, wait until each answers a real request.")
    static final class Up implements Callable<Integer> {
        @Mixin StackOptions options;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "180", description = "How long each part may take to become ready after launch (default ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() {
            StackConfig config = options.config();
            LocalStackManager stack = new LocalStackManager(config);
            long begin = System.nanoTime();
            LocalStackManager.UpResult result;
            // Ctrl-C (or a kill) while parts are still starting: stop the ones this command launched rather than
            // leave a half-started stack behind; what ran before stays.
            AtomicBoolean finished = new AtomicBoolean();
            Thread abort = new Thread(() -> {
                if (!finished.get()) {
                    Set<StackPart> stopped = stack.abortLaunched();
                    System.out.println(System.lineSeparator() + "stack up interrupted: "
                            + (stopped.isEmpty() ? "nothing it started was running" : "stopped " + names(stopped)));
                }
            }, "tessera-stack-up-abort");
            Runtime.getRuntime().addShutdownHook(abort);
            try (ConsoleProgress progress = new ConsoleProgress(System.out, ConsoleProgress.stdoutIsTerminal())) {
                result = stack.up(progress, Duration.ofSeconds(timeoutSeconds));
            } finally {
                finished.set(true);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            System.out.printf("stack up in %.1fs (%s): Kafka %s | registry %s | Milvus %s | S3 %s (bucket %s)%n", seconds,
                    result.started().isEmpty() ? "everything was already running" : "started " + names(result.started()),
                    config.kafkaBootstrap(), config.registryUrl(), config.milvusUri(), config.s3Endpoint(),
                    StackConfig.S3_BUCKET);
            System.out.println("logs: " + config.logsDir() + "   stop: ./tessera stack down");
            return 0;
        }
    }

    @Command(name = "down", description = "Stop the parts this runtime directory started (by pid) and wait until their ports are free.")
    static final class Down implements Callable<Integer> {
        @Mixin StackOptions options;

        @Parameters(arity = "0..*", paramLabel = "PART", description = "kafka, registry, milvus (default: all).")
        List<String> parts = new ArrayList<>();

        @Override
        public Integer call() {
            LocalStackManager stack = new LocalStackManager(options.config());
            Set<StackPart> which = parse(parts);
            long begin = System.nanoTime();
            Set<StackPart> stopped = stack.down(which);
            System.out.printf(stopped.isEmpty() ? "stack down: nothing of ours was running%n"
                    : "stack down: stopped " + names(stopped) + " in %.1fs%n", (System.nanoTime() - begin) / 1e9);
            return 0;
        }
    }

    @Command(name = "kafka-env", description = {"Print the KAFKA_* settings of the stack's secured listener as shell exports,",
            "for clients such as ./tessera publish: eval \"$(./tessera stack kafka-env --kafka-secure-port 9094)\"."})
    static final class KafkaEnv implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            ServicesCommand.securedKafkaEnvironment(options.config()).forEach((k, v) -> {
                if (k.startsWith("KAFKA_")) {
                    // Single quotes keep the JAAS line's double quotes and spaces intact in any POSIX shell.
                    System.out.println("export " + k + "='" + v.replace("'", "'\\''") + "'");
                }
            });
            return 0;
        }
    }

    @Command(name = "status", description = "Each part up or down, with version, address and pid. Exit code 0 when all are up, 3 otherwise.")
    static final class Status implements Callable<Integer> {
        @Mixin StackOptions options;

        @Override
        public Integer call() {
            StackConfig config = options.config();
            StackStatus status = new LocalStackManager(config).status();
            System.out.printf("%-9s %-11s %-16s %-40s %s%n", "PART", "STATE", "VERSION", "ADDRESS", "PID");
            for (PartStatus p : status.parts()) {
                String state = switch (p.state()) {
                    case UP -> "up";
                    case STARTING -> "starting";
                    case DOWN -> "down";
                    case PORT_TAKEN -> "port-taken";
                };
                System.out.printf("%-9s %-11s %-16s %-40s %s%n", p.part().id(), state, p.version(), p.address(),
                        p.pid().isPresent() ? Long.toString(p.pid().getAsLong()) : "-");
            }
            System.out.println("runtime dir: " + config.home());
            if (status.parts().stream().anyMatch(p -> p.state() == io.tessera.stack.PartState.PORT_TAKEN)) {
                System.out.println("port-taken: another program (or a stack from another runtime dir) holds that port.");
            }
            return status.allUp() ? 0 : TesseraCommand.EXIT_NOT_RUNNING;
        }
    }

    @Command(name = "logs", description = "Print the end of a part's log (all parts when none is named); -f follows.")
    static final class Logs implements Callable<Integer> {
        @Mixin StackOptions options;

        @Parameters(arity = "0..1", paramLabel = "PART", description = "kafka, registry or milvus.")
        String part;

        @Option(names = {"-n", "--lines"}, defaultValue = "40", description = "Lines to show (default ${DEFAULT-VALUE}).")
        int lines;

        @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until Ctrl-C.")
        boolean follow;

        @Override
        public Integer call() throws IOException, InterruptedException {
            LocalStackManager stack = new LocalStackManager(options.config());
            List<StackPart> which = part == null ? List.of(StackPart.values()) : List.of(StackPart.fromId(part));
            List<Path> files = which.stream().map(stack::logFile).toList();
            long[] positions = new long[files.size()];
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                if (which.size() > 1) {
                    System.out.println("==> " + f + " <==");
                }
                if (!Files.isRegularFile(f)) {
                    System.out.println("(no log yet: " + which.get(i).id() + " has not been started from " + options.config().home() + ")");
                    continue;
                }
                tail(f, lines).forEach(System.out::println);
                positions[i] = Files.size(f);
            }
            while (follow) {
                for (int i = 0; i < files.size(); i++) {
                    positions[i] = printFrom(files.get(i), positions[i], which.size() > 1 ? which.get(i).id() + " | " : "");
                }
                Thread.sleep(300);
            }
            return 0;
        }

        private static Deque<String> tail(Path file, int n) throws IOException {
            Deque<String> last = new ArrayDeque<>();
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    last.addLast(line);
                    if (last.size() > n) {
                        last.removeFirst();
                    }
                }
            } catch (java.nio.charset.MalformedInputException e) {
                last.addLast("(log contains bytes that are not UTF-8: open " + file + " directly)");
            }
            return last;
        }

        private static long printFrom(Path file, long position, String prefix) throws IOException {
            if (!Files.isRegularFile(file)) {
                return 0;
            }
            long size = Files.size(file);
            if (size < position) {
                position = 0; // rotated or reset
            }
            if (size == position) {
                return position;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                raf.seek(position);
                byte[] chunk = new byte[(int) Math.min(size - position, 1 << 20)];
                raf.readFully(chunk);
                String text = new String(chunk, StandardCharsets.UTF_8);
                int end = text.lastIndexOf('\n');
                if (end < 0) {
                    return position;
                }
                for (String line : text.substring(0, end).split("\n", -1)) {
                    System.out.println(prefix + line);
                }
                return position + text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
            }
        }
    }

    @Command(name = "reset", description = "Stop the stack and delete its data (topics, schemas, collections). Downloads and the virtualenv stay unless --all.")
    static final class Reset implements Callable<Integer> {
        @Mixin StackOptions options;

        @Option(names = "--all", description = "Delete the whole runtime directory, downloads and virtualenv included.")
        boolean all;

        @Override
        public Integer call() {
            StackConfig config = options.config();
            LocalStackManager stack = new LocalStackManager(config);
            Set<StackPart> stopped = stack.reset(all);
            System.out.println("stack reset: " + (stopped.isEmpty() ? "" : "stopped " + names(stopped) + ", ")
                    + "deleted " + (all ? config.home() : config.dataDir()) + ". Start again with ./tessera stack up");
            return 0;
        }
    }

    static Set<StackPart> parse(List<String> parts) {
        if (parts.isEmpty()) {
            return EnumSet.allOf(StackPart.class);
        }
        return parts.stream().map(StackPart::fromId).collect(Collectors.toCollection(() -> EnumSet.noneOf(StackPart.class)));
    }

    static String names(Set<StackPart> parts) {
        return parts.stream().sorted().map(StackPart::id).collect(Collectors.joining(", "));
    }
}
