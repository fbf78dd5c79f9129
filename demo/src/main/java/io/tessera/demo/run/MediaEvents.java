package io.tessera.demo.run;

import io.tessera.demo.dataset.ContentRef;
import io.tessera.demo.dataset.ManifestItem;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns dataset items into {@link MediaArrived} events: small files inline, larger ones as {@code file:} references. */
public final class MediaEvents {

    private MediaEvents() {
    }

    /**
     * @param inlineMaxBytes files up to this size travel inside the event (texts as inline text); larger ones as a
     *                       reference with size and sha256, which the indexers read from their file roots
     */
    public static MediaArrived of(ManifestItem item, Path datasetRoot, String tenant, long inlineMaxBytes,
                                  Instant occurredAt) throws IOException {
        ContentRef ref = item.content(datasetRoot);
        Object content;
        if (item.sizeBytes() > inlineMaxBytes) {
            content = ContentReference.newBuilder().setUri(ref.uri()).setSizeBytes(ref.sizeBytes())
                    .setSha256(ref.sha256()).build();
        } else {
            byte[] bytes = Files.readAllBytes(Path.of(java.net.URI.create(ref.uri())));
            content = item.modality() == io.tessera.demo.dataset.Modality.TEXT
                    ? InlineText.newBuilder().setText(new String(bytes, StandardCharsets.UTF_8)).build()
                    : InlineBytes.newBuilder().setData(ByteBuffer.wrap(bytes)).build();
        }
        Map<String, String> attributes = new LinkedHashMap<>(item.attributes());
        // Shown by the search page and `./tessera search`; never part of what is embedded.
        attributes.put("filename", Path.of(item.file()).getFileName().toString());
        attributes.put("split", item.split().json());
        if (item.caption() != null) {
            attributes.put("caption", item.caption());
        }
        return MediaArrived.newBuilder()
                .setMediaId(item.mediaId())
                .setTenant(tenant)
                .setModality(Modality.valueOf(item.modality().name()))
                .setContentType(item.contentType())
                .setContent(content)
                .setInstruction(null)
                .setAttributes(attributes)
                .setOccurredAt(occurredAt)
                .build();
    }
}
