package io.tessera.catalog.internal.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Kafka Streams is RUNNING: before that (waiting for topics, restoring the status store,
 * rebalancing) status queries cannot be answered and records are not being routed.
 */
@Readiness
@ApplicationScoped
public class StreamsRunningCheck implements HealthCheck {

    @Inject
    KafkaStreams streams;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        return HealthCheckResponse.named("media-catalog streams running")
                .status(state == KafkaStreams.State.RUNNING)
                .withData("state", state.name())
                .build();
    }
}
