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
 * A video: one vector per moment (with its time span) and the pooled mean of all frames for the whole video. Every
 * sampled frame is embedded; a frame with text read by OCR (a caption, a title, a slide) combines its image and text
 * embeddings exactly as a document page does with its text ({@link DocumentEmbedder}:
 * {@code normalize((1 - w) * image + w * text)}, same weight and task), a frame without text keeps its image vector.
 * Consecutive frames that show the same thing are then merged into one moment ({@link VideoMoments}), so a static
 * shot is one row instead of one per second.
 */
final class VideoEmbedder implements ItemEmbedder {

    private final double textWeight;
    private final String textTask;
    private final double momentSimilarity;

    /**
     * @param momentSimilarity the cosine a frame needs with the moment before it to be merged into it, in (0, 1];
     *                         {@link VideoMoments#OFF} keeps one moment per frame
     */
    VideoEmbedder(double textWeight, String textTask, double momentSimilarity) {
        this.textWeight = textWeight;
        this.textTask = textTask;
        this.momentSimilarity = momentSimilarity;
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
            List<float[]> vectors = new ArrayList<>(video.frames().size());
            for (int i = 0; i < video.frames().size(); i++) {
                float[] image = embeddings.get(i).vector();
                vectors.add(textIndex[i] < 0 ? image
                        : Vectors.blended(image, embeddings.get(textIndex[i]).vector(), textWeight));
            }
            List<ItemVectors.Segment> moments = VideoMoments.merge(video.frames(), vectors, momentSimilarity);
            long end = Math.max(video.durationMs(), video.frames().get(video.frames().size() - 1).endMs());
            // The whole video is the mean of all frames, not of moments: a long shot weighs as long as it lasts.
            return new ItemVectors(embeddings.get(0).model(), moments, Vectors.pooled(vectors), 0L, end);
        });
    }
}
