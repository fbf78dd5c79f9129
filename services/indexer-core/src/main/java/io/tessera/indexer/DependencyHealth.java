package io.tessera.indexer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which dependencies are failing now, with quiet logging: one WARN when an outage starts, then at most one line per
 * {@code quietInterval} while it lasts (with how many attempts failed), one INFO when it ends. Without this, a
 * Milvus restart under load would print a stack trace per record per retry. Readiness reads {@link #isDown}.
 * Thread-safe.
 */
public final class DependencyHealth {

    /** What the pipeline depends on; each outage is tracked separately. */
    public enum Dependency {
        MILVUS("Milvus"),
        SCHEMA_REGISTRY("the schema registry"),
        MODEL_STORE("the model store"),
        KAFKA("Kafka"),
        MEDIA_SOURCE("a media source"),
        EMBEDDING("the embedding runtime");

        private final String label;

        Dependency(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(DependencyHealth.class);

    private final Duration quietInterval;
    private final Clock clock;
    private final Map<Dependency, Outage> outages = new EnumMap<>(Dependency.class);

    private static final class Outage {
        final Instant since;
        Instant lastLogged;
        long failures;
        String lastError;

        Outage(Instant since) {
            this.since = since;
            this.lastLogged = since;
        }
    }

    public DependencyHealth(Duration quietInterval) {
        this(quietInterval, Clock.systemUTC());
    }

    DependencyHealth(Duration quietInterval, Clock clock) {
        this.quietInterval = quietInterval;
        this.clock = clock;
    }

    /** Records a failed attempt; logs only when an outage starts or the quiet interval has passed. */
    public void failed(Dependency dependency, Throwable cause) {
        Instant now = clock.instant();
        String error = describe(cause);
        String line = null;
        boolean first = false;
        synchronized (outages) {
            Outage outage = outages.get(dependency);
            if (outage == null) {
                outage = new Outage(now);
                outages.put(dependency, outage);
                first = true;
            }
            outage.failures++;
            outage.lastError = error;
            if (first) {
                line = dependency.label() + " is unavailable (" + error + "): retrying with backoff; records wait and"
                        + " their partitions do not advance until it is back";
            } else if (Duration.between(outage.lastLogged, now).compareTo(quietInterval) >= 0) {
                outage.lastLogged = now;
                line = dependency.label() + " still unavailable after " + Duration.between(outage.since, now).toSeconds()
                        + " s (" + outage.failures + " failed attempts; last: " + error + ")";
            }
        }
        if (line != null) {
            LOG.warn(line);
        }
    }

    /** Records a successful call; ends an outage if there was one. */
    public void succeeded(Dependency dependency) {
        Outage ended;
        synchronized (outages) {
            ended = outages.remove(dependency);
        }
        if (ended != null) {
            LOG.info("{} is back after {} s ({} failed attempts); records flow again", dependency.label(),
                    Duration.between(ended.since, clock.instant()).toSeconds(), ended.failures);
        }
    }

    public boolean isDown(Dependency dependency) {
        synchronized (outages) {
            return outages.containsKey(dependency);
        }
    }

    /** Since when a dependency has been failing, if it is. */
    public Optional<Instant> downSince(Dependency dependency) {
        synchronized (outages) {
            Outage o = outages.get(dependency);
            return o == null ? Optional.empty() : Optional.of(o.since);
        }
    }

    /** The dependencies failing now, each with its last error. */
    public Map<Dependency, String> outages() {
        synchronized (outages) {
            Map<Dependency, String> out = new EnumMap<>(Dependency.class);
            outages.forEach((d, o) -> out.put(d, o.lastError));
            return out;
        }
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        String message = t.getMessage();
        if (message != null && message.length() > 300) {
            message = message.substring(0, 300) + "…";
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
