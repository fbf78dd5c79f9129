package io.tessera.indexer.modality;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.events.MediaArrived;
import io.tessera.media.DecodedMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A video: one vector per sampled frame (with its time span) and their pooled mean for the whole video. */
final class VideoEmbedder implements ItemEmbedder {

    @Override
    public CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media) {
        DecodedMedia.DecodedVideo video = (DecodedMedia.DecodedVideo) media;
        List<CompletableFuture<Embedding>> futures = new ArrayList<>(video.frames().size());
        for (DecodedMedia.VideoFrame frame : video.frames()) {
            futures.add(runtime.embedImage(ImageInput.ofRgb(frame.image().rgb(), frame.image().width(),
                    frame.image().height())));
        }
        return ItemEmbedder.all(futures).thenApply(embeddings -> {
            List<ItemVectors.Segment> segments = new ArrayList<>(embeddings.size());
            List<float[]> vectors = new ArrayList<>(embeddings.size());
            for (int i = 0; i < embeddings.size(); i++) {
                DecodedMedia.VideoFrame frame = video.frames().get(i);
                float[] v = embeddings.get(i).vector();
                segments.add(new ItemVectors.Segment(frame.index(), frame.startMs(), frame.endMs(), v));
                vectors.add(v);
            }
            long end = Math.max(video.durationMs(), video.frames().get(video.frames().size() - 1).endMs());
            return new ItemVectors(embeddings.get(0).model(), segments, Vectors.pooled(vectors), 0L, end);
        });
    }
}
