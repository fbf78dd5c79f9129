package io.tessera.bench;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * What a launcher needs to run a benchmark in a JVM of its own ({@code ./tessera bench}): its main class by name, so
 * that naming it loads none of the libraries it needs (the launcher's class path lacks most of them), and where this
 * module's classes are, to put them on the benchmark's class path next to a service's jars.
 */
public final class Benchmarks {

    public static final String EMBED = "io.tessera.bench.embed.EmbedBenchmark";
    public static final String INDEX = "io.tessera.bench.index.IndexBenchmark";
    public static final String SEARCH = "io.tessera.bench.search.SearchBenchmark";

    private Benchmarks() {
    }

    /** This module's jar, or its classes directory in a build. */
    public static Path classes() {
        try {
            return Path.of(Benchmarks.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
