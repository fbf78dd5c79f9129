package io.tessera.vectorstore;

import io.tessera.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Milvus and how to lay out collections. Services map their {@code @ConfigMapping} onto this.
 *
 * @param uri              {@code http://host:port} of Milvus' gRPC endpoint (Milvus Lite: {@code http://127.0.0.1:19530})
 * @param token            {@code user:password} or an API key; empty for Milvus Lite (it has no auth)
 * @param database         empty for Milvus' default database
 * @param connectTimeout   for opening a connection
 * @param rpcTimeout       deadline of every call. The SDK waits for a connection while Milvus is down, so this is
 *                         also how long a call blocks during an outage before it counts as a transient failure
 * @param retryPolicy      applied to every call of the store on transient failures (the shared policy, bounded:
 *                         the caller, e.g. the indexer pipeline, waits out a longer outage)
 * @param writeBatchSize   rows per upsert request
 * @param flushAfterWrites flush after each write call: Milvus Lite keeps unflushed writes only in its write-ahead
 *                         log, which concurrent writers and an unclean stop can corrupt (docs/platform-notes.md). Turn off
 *                         for a standalone Milvus, where flushes create small segments
 */
public record VectorStoreConfig(String uri, Optional<String> token, Optional<String> database, CollectionNaming naming,
                                IndexType indexType, Duration connectTimeout, Duration rpcTimeout,
                                RetryPolicy retryPolicy, int writeBatchSize, boolean flushAfterWrites,
                                Consistency searchConsistency) {

    /** The store's default: rides out a Milvus Lite restart (a few seconds) but gives up within ~30 s. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.bounded(8, Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofSeconds(30));

    public static final String DEFAULT_URI = "http://127.0.0.1:19530";
    public static final int DEFAULT_WRITE_BATCH_SIZE = 500;

    public VectorStoreConfig {
        Objects.requireNonNull(uri, "uri");
        URI parsed;
        try {
            parsed = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Milvus uri '" + uri + "' is not a URI: set it like " + DEFAULT_URI, e);
        }
        if (parsed.getHost() == null || parsed.getPort() < 0
                || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new IllegalArgumentException("Milvus uri '" + uri + "' needs http(s)://host:port, e.g. " + DEFAULT_URI);
        }
        token = token == null ? Optional.empty() : token.filter(t -> !t.isBlank());
        database = database == null ? Optional.empty() : database.filter(d -> !d.isBlank());
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(indexType, "indexType");
        requirePositive("connectTimeout", connectTimeout);
        requirePositive("rpcTimeout", rpcTimeout);
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        if (writeBatchSize < 1 || writeBatchSize > 10_000) {
            throw new IllegalArgumentException("writeBatchSize must be in [1, 10000], was " + writeBatchSize);
        }
        Objects.requireNonNull(searchConsistency, "searchConsistency");
    }

    /** Defaults for everything but the URI. */
    public static VectorStoreConfig defaults(String uri) {
        return new VectorStoreConfig(uri, Optional.empty(), Optional.empty(), CollectionNaming.DEFAULT,
                IndexType.AUTOINDEX, Duration.ofSeconds(5), Duration.ofSeconds(15), DEFAULT_RETRY,
                DEFAULT_WRITE_BATCH_SIZE, true, Consistency.BOUNDED);
    }

    public VectorStoreConfig withToken(String newToken) {
        return new VectorStoreConfig(uri, Optional.ofNullable(newToken), database, naming, indexType, connectTimeout,
                rpcTimeout, retryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withDatabase(String newDatabase) {
        return new VectorStoreConfig(uri, token, Optional.ofNullable(newDatabase), naming, indexType, connectTimeout,
                rpcTimeout, retryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withNaming(CollectionNaming newNaming) {
        return new VectorStoreConfig(uri, token, database, newNaming, indexType, connectTimeout, rpcTimeout,
                retryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withIndexType(IndexType newIndexType) {
        return new VectorStoreConfig(uri, token, database, naming, newIndexType, connectTimeout, rpcTimeout,
                retryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withTimeouts(Duration newConnectTimeout, Duration newRpcTimeout) {
        return new VectorStoreConfig(uri, token, database, naming, indexType, newConnectTimeout, newRpcTimeout,
                retryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withRetryPolicy(RetryPolicy newRetryPolicy) {
        return new VectorStoreConfig(uri, token, database, naming, indexType, connectTimeout, rpcTimeout,
                newRetryPolicy, writeBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withWriteBatchSize(int newWriteBatchSize) {
        return new VectorStoreConfig(uri, token, database, naming, indexType, connectTimeout, rpcTimeout,
                retryPolicy, newWriteBatchSize, flushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withFlushAfterWrites(boolean newFlushAfterWrites) {
        return new VectorStoreConfig(uri, token, database, naming, indexType, connectTimeout, rpcTimeout,
                retryPolicy, writeBatchSize, newFlushAfterWrites, searchConsistency);
    }

    public VectorStoreConfig withSearchConsistency(Consistency newConsistency) {
        return new VectorStoreConfig(uri, token, database, naming, indexType, connectTimeout, rpcTimeout,
                retryPolicy, writeBatchSize, flushAfterWrites, newConsistency);
    }

    @Override
    public String toString() {
        // Never print the token.
        return "VectorStoreConfig[uri=" + uri + ", token=" + (token.isPresent() ? "***" : "none") + ", database="
                + database.orElse("default") + ", naming=" + naming + ", indexType=" + indexType + ", connectTimeout="
                + connectTimeout + ", rpcTimeout=" + rpcTimeout + ", retryPolicy=" + retryPolicy + ", writeBatchSize="
                + writeBatchSize + ", flushAfterWrites=" + flushAfterWrites + ", searchConsistency=" + searchConsistency + "]";
    }

    private static void requirePositive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }
}
