package io.tessera.trainer.api;

import io.tessera.trainer.TrainerService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the live model is loaded and models.published was caught up with. */
@Readiness
@ApplicationScoped
public class TrainerReadiness implements HealthCheck {

    @Inject
    TrainerService service;

    @Override
    public HealthCheckResponse call() {
        var engine = service.engine();
        var builder = HealthCheckResponse.named("trainer").status(engine.ready());
        if (engine.ready()) {
            builder.withData("model", engine.live().ref().toString());
        }
        return builder.withData("catalogItems", service.catalogSize()).build();
    }
}
