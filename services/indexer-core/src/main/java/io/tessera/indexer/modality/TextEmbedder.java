package io.tessera.indexer.modality;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TextInput;
import io.tessera.events.MediaArrived;
import io.tessera.media.DecodedMedia;
import io.tessera.media.TextChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A text: one vector per chunk (chunks were cut by the decoder to fit the model's length together with the
 * instruction, overlapping so a phrase cut by a boundary is whole in one of them) and their pooled mean for the
 * whole text.
 */
final class TextEmbedder implements ItemEmbedder {

    private final String task;

    TextEmbedder(String task) {
        this.task = task;
    }

    @Override
    public CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media) {
        DecodedMedia.DecodedText text = (DecodedMedia.DecodedText) media;
        List<CompletableFuture<Embedding>> futures = new ArrayList<>(text.chunks().size());
        for (TextChunk chunk : text.chunks()) {
            futures.add(runtime.embedText(new TextInput(chunk.text(), task, item.getInstruction())));
        }
        return ItemEmbedder.all(futures).thenApply(embeddings -> {
            List<ItemVectors.Segment> segments = new ArrayList<>(embeddings.size());
            List<float[]> vectors = new ArrayList<>(embeddings.size());
            for (int i = 0; i < embeddings.size(); i++) {
                float[] v = embeddings.get(i).vector();
                TextChunk chunk = text.chunks().get(i);
                segments.add(new ItemVectors.Segment(chunk.index(), null, null, v, chunk.text()));
                vectors.add(v);
            }
            return new ItemVectors(embeddings.get(0).model(), segments, Vectors.pooled(vectors), null, null);
        });
    }
}
