package io.tessera.trainer.api;

import io.tessera.trainer.TrainerService;
import io.tessera.trainer.TrainingStatus;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Training progress, and a way to start a round now (the demo runs one round on demand). */
@Path("/v1/training")
@Produces(MediaType.APPLICATION_JSON)
public class TrainingResource {

    @Inject
    TrainerService service;

    /** Pairs buffered, the round running (state, progress), the last round's outcome and metrics. */
    @GET
    @Path("/status")
    public TrainingStatus status() {
        return service.engine().status();
    }

    /** Starts a round now: 202 when started, 409 when one is running, 503 while the trainer is starting. */
    @POST
    @Path("/rounds")
    public Response startRound(@QueryParam("reason") String reason) {
        if (!service.engine().ready()) {
            return Response.status(503).entity(Map.of("error", "the trainer is still starting")).build();
        }
        if (!service.engine().requestRound(reason == null || reason.isBlank() ? "requested over REST" : reason)) {
            return Response.status(409).entity(Map.of("error", "a round is running; one at a time")).build();
        }
        return Response.accepted(Map.of("started", true)).build();
    }
}
