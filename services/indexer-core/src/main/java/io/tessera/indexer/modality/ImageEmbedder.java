package io.tessera.indexer.modality;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.events.MediaArrived;
import io.tessera.media.DecodedMedia;
import io.tessera.media.RgbImage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An image: one vector, which is the whole item. */
final class ImageEmbedder implements ItemEmbedder {

    @Override
    public CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media) {
        RgbImage image = ((DecodedMedia.DecodedImage) media).image();
        return ItemEmbedder.all(List.of(runtime.embedImage(ImageInput.ofRgb(image.rgb(), image.width(), image.height()))))
                .thenApply(e -> new ItemVectors(e.get(0).model(),
                        List.of(new ItemVectors.Segment(0, null, null, e.get(0).vector())), e.get(0).vector(), null, null));
    }
}
