package io.tessera.vectorstore.internal;

import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.client.RetryConfig;
import io.tessera.vectorstore.VectorStoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Holds the SDK client and replaces it after connection failures.
 * <p>
 * Why re-create instead of relying on gRPC's own reconnect: the SDK makes calls wait for a connection and gRPC
 * backs off reconnect attempts exponentially (up to two minutes), so after a long Milvus outage the old client may
 * stay unusable well after Milvus is back. A new client connects at once. The constructor of
 * {@link MilvusClientV2} itself calls Milvus, so the first client is made lazily and a store can be created while
 * Milvus is down. Each client gets an epoch number, so callers can tell that a connection is new (collections may
 * have been released by a restart in between).
 */
final class ClientProvider implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientProvider.class);

    record Lease(MilvusClientV2 client, long epoch) {
    }

    private final Supplier<MilvusClientV2> factory;
    private final String target;
    private MilvusClientV2 client;
    private long epoch;
    private boolean closed;

    ClientProvider(VectorStoreConfig config) {
        this(() -> create(config), config.uri());
    }

    ClientProvider(Supplier<MilvusClientV2> factory, String target) {
        this.factory = factory;
        this.target = target;
    }

    synchronized Lease acquire() {
        if (closed) {
            throw new IllegalStateException("the vector store is closed");
        }
        if (client == null) {
            client = factory.get();
            epoch++;
            if (epoch > 1) {
                LOG.info("Reconnected to Milvus at {}", target);
            }
        }
        return new Lease(client, epoch);
    }

    /** Drops the client of this lease if it is still the current one; the next {@link #acquire()} connects anew. */
    synchronized void discard(Lease lease) {
        if (lease != null && client == lease.client()) {
            client = null;
            closeQuietly(lease.client());
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            closeQuietly(client);
            client = null;
        }
    }

    private static void closeQuietly(MilvusClientV2 c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing a Milvus client failed", e);
        }
    }

    private static MilvusClientV2 create(VectorStoreConfig config) {
        ConnectConfig.ConnectConfigBuilder builder = ConnectConfig.builder()
                .uri(config.uri())
                .connectTimeoutMs(config.connectTimeout().toMillis())
                .rpcDeadlineMs(config.rpcTimeout().toMillis());
        config.token().ifPresent(builder::token);
        config.database().ifPresent(builder::dbName);
        MilvusClientV2 c = new MilvusClientV2(builder.build());
        // The store retries with its own policy and error classification; the SDK's loop (75 attempts by default)
        // would hide outages inside one call and retry on codes Milvus Lite does not send.
        c.retryConfig(RetryConfig.builder().maxRetryTimes(1).build());
        return c;
    }
}
