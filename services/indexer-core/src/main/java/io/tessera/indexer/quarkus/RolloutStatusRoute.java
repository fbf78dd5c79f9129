package io.tessera.indexer.quarkus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tessera.rollout.Rollout;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * {@code GET /v1/rollout/status}: the model roll-out of this indexer (phase, live and target versions, the
 * collections written, backfill progress with ETA, pending drops). A plain Vert.x route: the indexers carry no REST
 * stack for one read-only endpoint.
 */
@ApplicationScoped
public class RolloutStatusRoute {

    public static final String PATH = "/v1/rollout/status";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Inject
    IndexerService service;

    void register(@Observes Router router) {
        router.get(PATH).handler(ctx -> {
            int code;
            String body;
            if (!service.rolloutEnabled()) {
                code = 404;
                body = "{\"error\":\"rollout_disabled\",\"message\":\"tessera.rollout.enabled=false\"}";
            } else {
                Optional<Rollout> rollout = service.rollout();
                if (rollout.isEmpty()) {
                    code = 503;
                    body = "{\"error\":\"starting\",\"message\":\"the model is still loading\"}";
                } else {
                    try {
                        code = 200;
                        body = JSON.writeValueAsString(rollout.get().status());
                    } catch (JsonProcessingException e) {
                        code = 500;
                        body = "{\"error\":\"internal\"}";
                    }
                }
            }
            ctx.response().setStatusCode(code).putHeader("Content-Type", "application/json").end(body);
        });
    }
}
