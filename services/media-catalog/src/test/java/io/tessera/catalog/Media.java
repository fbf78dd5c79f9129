package io.tessera.catalog;

import io.tessera.events.ContentReference;
import io.tessera.events.IndexStatus;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.MediaIndexed;
import io.tessera.events.Modality;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Test records: valid by default, one field changed per test. */
final class Media {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private Media() {
    }

    static MediaArrived.Builder image(String mediaId, String tenant) {
        return base(mediaId, tenant, Modality.IMAGE, "image/jpeg", bytes("jpeg-bytes-of-" + mediaId));
    }

    static MediaArrived.Builder video(String mediaId, String tenant) {
        return base(mediaId, tenant, Modality.VIDEO, "video/mp4", bytes("mp4-bytes-of-" + mediaId));
    }

    static MediaArrived.Builder document(String mediaId, String tenant) {
        return base(mediaId, tenant, Modality.DOCUMENT, "application/pdf",
                new ContentReference("file:///data/" + mediaId + ".pdf", 12_345L, "ab".repeat(32)));
    }

    static MediaArrived.Builder text(String mediaId, String tenant) {
        return base(mediaId, tenant, Modality.TEXT, "text/plain; charset=utf-8", new InlineText("a text about " + mediaId));
    }

    static InlineBytes bytes(String content) {
        return new InlineBytes(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
    }

    static MediaArrived.Builder base(String mediaId, String tenant, Modality modality, String contentType, Object content) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put("source", "test");
        return MediaArrived.newBuilder()
                .setMediaId(mediaId)
                .setTenant(tenant)
                .setModality(modality)
                .setContentType(contentType)
                .setContent(content)
                .setInstruction(null)
                .setAttributes(attributes)
                .setOccurredAt(T0);
    }

    static MediaIndexed.Builder indexed(MediaArrived item, int modelVersion, int segments) {
        return MediaIndexed.newBuilder()
                .setMediaId(item.getMediaId())
                .setTenant(item.getTenant())
                .setModality(item.getModality())
                .setModelName("tessera-tiny")
                .setModelVersion(modelVersion)
                .setCollection("tessera_tiny_v" + modelVersion)
                .setSegments(segments)
                .setStatus(IndexStatus.INDEXED)
                .setError(null)
                .setArrivedAt(item.getOccurredAt())
                .setIndexedAt(item.getOccurredAt().plusSeconds(5));
    }
}
