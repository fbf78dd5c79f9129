package io.tessera.rollout.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tessera.events.Modality;
import io.tessera.rollout.RolloutMarker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The JSON value of a {@link RolloutMarker} in models.rollout (internal format, versioned by the "v" field). */
public final class MarkerCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private MarkerCodec() {
    }

    public static byte[] encode(RolloutMarker m) {
        ObjectNode n = JSON.createObjectNode();
        n.put("v", 1);
        n.put("model", m.modelName());
        n.put("version", m.version());
        n.put("modality", m.modality().name());
        n.put("completedAt", m.completedAt().toString());
        n.put("instance", m.instance());
        n.put("scanned", m.scanned());
        n.put("indexed", m.indexed());
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** @throws IllegalArgumentException naming what is wrong with the value */
    public static RolloutMarker decode(byte[] value) {
        try {
            JsonNode n = JSON.readTree(value);
            if (n == null || !n.hasNonNull("model") || !n.hasNonNull("version") || !n.hasNonNull("modality")) {
                throw new IllegalArgumentException("a roll-out marker needs model, version and modality");
            }
            return new RolloutMarker(n.get("model").asText(), n.get("version").asInt(),
                    Modality.valueOf(n.get("modality").asText()),
                    n.hasNonNull("completedAt") ? Instant.parse(n.get("completedAt").asText()) : Instant.EPOCH,
                    n.path("instance").asText("unknown"), n.path("scanned").asLong(), n.path("indexed").asLong());
        } catch (IOException e) {
            throw new IllegalArgumentException("a roll-out marker is not JSON: " + e.getMessage(), e);
        }
    }
}
