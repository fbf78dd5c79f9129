package io.tessera.indexer.modality;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingException;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.model.ModelRef;
import io.tessera.events.MediaArrived;
import io.tessera.indexer.IndexerSettings;
import io.tessera.media.DecodedMedia;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns one decoded item into its vectors with one runtime. Every segment goes through the runtime's shared
 * batchers ({@link EmbeddingRuntime#embedImage}/{@link EmbeddingRuntime#embedText}), so segments of many items and
 * many records fill the same batches.
 */
public interface ItemEmbedder {

    CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media);

    /** The embedder of a modality. */
    static ItemEmbedder forModality(io.tessera.events.Modality modality, IndexerSettings settings) {
        return switch (modality) {
            case IMAGE -> new ImageEmbedder();
            case VIDEO -> new VideoEmbedder(settings.pageTextWeight(), settings.documentTextTask(),
                    settings.momentSimilarity());
            case DOCUMENT -> new DocumentEmbedder(settings.pageTextWeight(), settings.documentTextTask());
            case TEXT -> new TextEmbedder(settings.textTask());
            case UNKNOWN -> throw new IllegalArgumentException("no embedder for modality UNKNOWN");
        };
    }

    /** Waits for all futures; fails if a hot swap put the item's vectors on two model versions (retried). */
    static CompletableFuture<List<Embedding>> all(List<CompletableFuture<Embedding>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            List<Embedding> out = futures.stream().map(CompletableFuture::join).toList();
            ModelRef first = out.get(0).model();
            for (Embedding e : out) {
                if (!e.model().equals(first)) {
                    // Retriable: the next attempt runs entirely on the new version.
                    throw new EmbeddingException("the model was swapped from " + first + " to " + e.model()
                            + " while the item was embedded", true);
                }
            }
            return out;
        });
    }
}
