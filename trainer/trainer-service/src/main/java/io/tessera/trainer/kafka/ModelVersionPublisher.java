package io.tessera.trainer.kafka;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.tessera.events.ModelVersion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes {@code ModelVersion} records to {@code models.published}, keyed by model name, and returns once the broker
 * acknowledged them (the channel's producer is idempotent with acks=all).
 */
@ApplicationScoped
public class ModelVersionPublisher {

    @Inject
    @Channel("models")
    MutinyEmitter<ModelVersion> models;

    public void publish(ModelVersion version) {
        models.sendMessageAndAwait(KafkaRecord.of(version.getModelName(), version));
    }
}
