package io.tessera.indexer.modality;

import io.tessera.embedding.Embedding;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.TextInput;
import io.tessera.events.MediaArrived;
import io.tessera.media.DecodedMedia;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A video: one vector per sampled frame (with its time span) and their pooled mean for the whole video. A frame
 * with text read by OCR (a caption, a title, a slide) combines its image and text embeddings exactly as a document
 * page does with its text ({@link DocumentEmbedder}: {@code normalize((1 - w) * image + w * text)}, same weight and
 * task); a frame without text keeps its image vector.
 */
final class VideoEmbedder implements ItemEmbedder {

    private final double textWeight;
    private final String textTask;

    VideoEmbedder(double textWeight, String textTask) {
        this.textWeight = textWeight;
        this.textTask = textTask;
    }

    @Override
    public CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media) {
        DecodedMedia.DecodedVideo video = (DecodedMedia.DecodedVideo) media;
        List<CompletableFuture<Embedding>> futures = new ArrayList<>(video.frames().size());
        for (DecodedMedia.VideoFrame frame : video.frames()) {
            futures.add(runtime.embedImage(ImageInput.ofRgb(frame.image().rgb(), frame.image().width(),
                    frame.image().height())));
        }
        int[] textIndex = new int[video.frames().size()];
        for (int i = 0; i < video.frames().size(); i++) {
            DecodedMedia.VideoFrame frame = video.frames().get(i);
            textIndex[i] = -1;
            if (frame.hasText() && textWeight > 0) {
                textIndex[i] = futures.size();
                futures.add(runtime.embedText(new TextInput(frame.text(), textTask, item.getInstruction())));
            }
        }
        return ItemEmbedder.all(futures).thenApply(embeddings -> {
            List<ItemVectors.Segment> segments = new ArrayList<>(video.frames().size());
            List<float[]> vectors = new ArrayList<>(video.frames().size());
            for (int i = 0; i < video.frames().size(); i++) {
                DecodedMedia.VideoFrame frame = video.frames().get(i);
                float[] image = embeddings.get(i).vector();
                float[] v = textIndex[i] < 0 ? image
                        : Vectors.blended(image, embeddings.get(textIndex[i]).vector(), textWeight);
                segments.add(new ItemVectors.Segment(frame.index(), frame.startMs(), frame.endMs(), v));
                vectors.add(v);
            }
            long end = Math.max(video.durationMs(), video.frames().get(video.frames().size() - 1).endMs());
            return new ItemVectors(embeddings.get(0).model(), segments, Vectors.pooled(vectors), 0L, end);
        });
    }
}
