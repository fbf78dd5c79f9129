package io.tessera.cli;

import io.tessera.demo.dataset.DatasetCommand;
import io.tessera.stack.StackException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./tessera} command line. A new command is a picocli {@code @Command} class added to
 * {@code subcommands} below; shared options live in mixins such as {@link StackOptions}.
 */
@Command(name = "tessera",
        mixinStandardHelpOptions = true,
        versionProvider = TesseraCommand.Version.class,
        description = "Continuous multimodal indexing: Kafka in, ONNX Runtime embeddings, Milvus out.",
        subcommands = {
                DemoCommand.class,
                StackCommand.class,
                ServicesCommand.class,
                ModelCommand.class,
                PublishCommand.class,
                SearchCommand.class,
                DatasetCommand.class,
                PairsCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class,
        },
        footer = {"", "Run the tests: ./tessera test   (./tessera test -DskipITs for unit tests only)"})
public final class TesseraCommand implements Runnable {

    /** Exit code of a command that found the system not in the state asked about (e.g. stack status with a part down). */
    public static final int EXIT_NOT_RUNNING = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        quietLibraries();
        CommandLine cli = new CommandLine(new TesseraCommand());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // A stack failure is an expected outcome with a one-line remedy: no stack trace.
            if (ex instanceof StackException || ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("tessera: " + ex.getMessage());
                for (Throwable s : ex.getSuppressed()) {
                    commandLine.getErr().println("tessera: " + s.getMessage());
                }
                return 1;
            }
            throw ex;
        });
        return cli;
    }

    private static void quietLibraries() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("tessera.log.level", "error"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TesseraCommand.class.getPackage().getImplementationVersion();
            return new String[] {"tessera " + (v == null ? "(development build)" : v)};
        }
    }
}
