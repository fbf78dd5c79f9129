package io.tessera.indexer.quarkus;

import io.tessera.indexer.DependencyHealth;
import io.tessera.indexer.Indexer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the model is loaded, the consumer runs and Milvus answers; DOWN during a Milvus or model-store outage
 * (so a load balancer or {@code ./tessera services up} sees it), with the failing dependencies in the data.
 */
@Readiness
@ApplicationScoped
public class IndexerReadiness implements HealthCheck {

    private static final long PROBE_EVERY_NANOS = 2_000_000_000L;

    @Inject
    IndexerService service;

    private volatile long probedAt;
    private volatile boolean reachable;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder r = HealthCheckResponse.named("indexer");
        boolean up = true;
        if (service.settings() == null) {
            return r.down().withData("state", "starting").build();
        }
        r.withData("service", service.settings().service()).withData("topic", service.settings().sourceTopic());
        service.problem().ifPresent(p -> r.withData("problem", p));
        if (service.runtime().isEmpty()) {
            up = false;
            r.withData("model", "not loaded");
        } else {
            r.withData("model", service.runtime().get().model().toString());
        }
        Optional<Indexer> indexer = service.indexer();
        if (indexer.isEmpty() || !indexer.get().consumer().isRunning()) {
            up = false;
            r.withData("consumer", indexer.isEmpty() ? "not started" : "stopped");
        } else {
            r.withData("consumer", indexer.get().consumer().isPaused() ? "paused (back-pressure)" : "running");
        }
        if (!milvusReachable()) {
            up = false;
            r.withData("milvus", "unreachable");
        }
        for (var outage : service.health().outages().entrySet()) {
            r.withData(outage.getKey().name().toLowerCase(), "down: " + outage.getValue());
            if (outage.getKey() == DependencyHealth.Dependency.MILVUS
                    || outage.getKey() == DependencyHealth.Dependency.MODEL_STORE) {
                up = false;
            }
        }
        return r.status(up).build();
    }

    private boolean milvusReachable() {
        long now = System.nanoTime();
        if (now - probedAt > PROBE_EVERY_NANOS) {
            reachable = service.store().isReachable();
            probedAt = now;
        }
        return reachable;
    }
}
