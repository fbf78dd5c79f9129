package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code tessera.milvus.*}: the vector store, the same keys for the services that write (indexers) and read
 * (search-api) it; the vector-store library's {@code VectorStoreConfig} is built from these.
 */
@ConfigMapping(prefix = "tessera.milvus")
public interface MilvusSettings {

    /** Milvus' gRPC endpoint. */
    @WithDefault("http://127.0.0.1:19530")
    String uri();

    /** {@code user:password} or an API key; none for Milvus Lite. */
    Optional<String> token();

    Optional<String> database();

    /** Prefix of every collection and alias name (the same in every service of a deployment). */
    Optional<String> collectionPrefix();

    /** AUTOINDEX, HNSW, IVF_FLAT or FLAT (see io.tessera.vectorstore.IndexType). */
    @WithDefault("AUTOINDEX")
    String indexType();

    /** Rows per upsert request. */
    @WithDefault("500")
    int writeBatchSize();

    /** Deadline of one Milvus call (also how long a call blocks during an outage before it counts as transient). */
    @WithDefault("10s")
    Duration rpcTimeout();

    /** Flush after each write (Milvus Lite: see docs/platform-notes.md); off for a standalone Milvus. */
    @WithDefault("true")
    boolean flushAfterWrites();
}
