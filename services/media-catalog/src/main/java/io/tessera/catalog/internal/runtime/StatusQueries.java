package io.tessera.catalog.internal.runtime;

import io.tessera.catalog.CatalogTopology;
import io.tessera.catalog.MediaStatus;
import io.tessera.catalog.internal.CatalogEntry;
import io.tessera.catalog.internal.StatusViews;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers status queries from the status store by interactive query.
 *
 * <p>One instance holds every partition and answers locally. With several instances each holds the store partitions
 * of the tasks it runs: every instance then sets {@code quarkus.kafka-streams.application-server=<its host:port>},
 * Kafka Streams shares those addresses through the consumer group, {@link KafkaStreams#queryMetadataForKey} names
 * the instance that owns a mediaId's partition, and a request that lands elsewhere is forwarded there once (marked
 * with {@link #FORWARDED_HEADER} so that a moving partition cannot bounce it around).
 */
@ApplicationScoped
public class StatusQueries {

    /** Marks a request forwarded by another instance: answer it locally or not at all. */
    public static final String FORWARDED_HEADER = "X-Tessera-Forwarded";

    private static final Logger LOG = LoggerFactory.getLogger(StatusQueries.class);

    /** The outcome of a query. */
    public sealed interface Result {
        record Found(MediaStatus status) implements Result { }
        record NotFound() implements Result { }
        /** The store cannot answer now (starting, restoring, rebalancing, owner unreachable): retry shortly. */
        record Unavailable(String reason) implements Result { }
        /** The owning instance's answer, passed on as it came. */
        record Forwarded(int status, String body) implements Result { }
    }

    @Inject
    KafkaStreams streams;

    @ConfigProperty(name = "quarkus.kafka-streams.application-server")
    Optional<String> applicationServer;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Result find(String mediaId, String tenant, boolean forwarded) {
        if (applicationServer.isPresent()) {
            KeyQueryMetadata owner;
            try {
                owner = streams.queryMetadataForKey(CatalogTopology.STATUS_STORE, mediaId, Serdes.String().serializer());
            } catch (IllegalStateException e) {
                return new Result.Unavailable("Kafka Streams is not running yet: " + e.getMessage());
            }
            if (owner == null || KeyQueryMetadata.NOT_AVAILABLE.equals(owner)) {
                return new Result.Unavailable("the owner of this item's partition is not known yet (rebalancing)");
            }
            HostInfo self = HostInfo.buildFromEndpoint(applicationServer.get());
            if (!owner.activeHost().equals(self)) {
                if (forwarded) {
                    return new Result.Unavailable("the item's partition moved while the request was forwarded");
                }
                return forward(owner.activeHost(), mediaId, tenant);
            }
        }
        return local(mediaId, tenant);
    }

    private Result local(String mediaId, String tenant) {
        CatalogEntry entry;
        try {
            ReadOnlyKeyValueStore<String, CatalogEntry> store = streams.store(StoreQueryParameters.fromNameAndType(
                    CatalogTopology.STATUS_STORE, QueryableStoreTypes.keyValueStore()));
            entry = store.get(mediaId);
        } catch (InvalidStateStoreException e) {
            return new Result.Unavailable("the status store is not queryable now (" + streams.state() + "): "
                    + e.getMessage());
        }
        return StatusViews.visibleTo(entry, tenant).<Result>map(Result.Found::new).orElseGet(Result.NotFound::new);
    }

    private Result forward(HostInfo owner, String mediaId, String tenant) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + "/v1/media/"
                + URLEncoder.encode(mediaId, StandardCharsets.UTF_8) + "?tenant="
                + URLEncoder.encode(tenant, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3))
                    .header(FORWARDED_HEADER, "true").GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Result.Forwarded(response.statusCode(), response.body());
        } catch (IOException e) {
            LOG.warn("Could not forward the status query for mediaId={} to {}: {}", mediaId, uri.getAuthority(),
                    e.toString());
            return new Result.Unavailable("the instance owning this item (" + uri.getAuthority() + ") did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result.Unavailable("interrupted while asking " + uri.getAuthority());
        }
    }
}
