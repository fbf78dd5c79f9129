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
 * A document: one vector per page and the pooled mean of the pages for the whole document.
 * <p>
 * A page's vector combines two embeddings: the image tower's embedding of the rendered page and, when the page has
 * text (its text layer, or for a page without one the text OCR read from it), the text tower's embedding of that
 * text. Both towers map into one shared (CLIP-style) space, in which a query is compared with either kind, so the
 * page vector is the re-normalised weighted sum {@code normalize((1 - w) * image + w * text)} with
 * {@code w = pageTextWeight} (default 0.5, the plain normalised sum). For two unit vectors at angle θ the
 * equal-weight sum is their bisector, at angle θ/2 from each: the page stays close to queries that match how it
 * looks and to queries that match what it says. That is what makes the words of born-digital and (with OCR) scanned
 * pages searchable with a model whose image tower cannot read pixels, while a page without any text keeps its image
 * vector alone. Summing is preferred over concatenation (which would change the collection's dimension and the
 * search API) and over two rows per page (which would double the rows and make a page compete with itself in
 * results). Video frames with OCR text are combined the same way ({@link VideoEmbedder}).
 */
final class DocumentEmbedder implements ItemEmbedder {

    private final double textWeight;
    private final String textTask;

    DocumentEmbedder(double textWeight, String textTask) {
        this.textWeight = textWeight;
        this.textTask = textTask;
    }

    @Override
    public CompletableFuture<ItemVectors> embed(EmbeddingRuntime runtime, MediaArrived item, DecodedMedia media) {
        DecodedMedia.DecodedDocument document = (DecodedMedia.DecodedDocument) media;
        List<CompletableFuture<Embedding>> futures = new ArrayList<>();
        int[] textIndex = new int[document.pages().size()];
        for (int p = 0; p < document.pages().size(); p++) {
            DecodedMedia.DocumentPage page = document.pages().get(p);
            futures.add(runtime.embedImage(ImageInput.ofRgb(page.image().rgb(), page.image().width(),
                    page.image().height())));
            textIndex[p] = -1;
        }
        for (int p = 0; p < document.pages().size(); p++) {
            DecodedMedia.DocumentPage page = document.pages().get(p);
            if (page.hasText() && textWeight > 0) {
                textIndex[p] = futures.size();
                futures.add(runtime.embedText(new TextInput(page.text(), textTask, item.getInstruction())));
            }
        }
        return ItemEmbedder.all(futures).thenApply(embeddings -> {
            List<ItemVectors.Segment> segments = new ArrayList<>();
            List<float[]> pages = new ArrayList<>();
            for (int p = 0; p < document.pages().size(); p++) {
                float[] image = embeddings.get(p).vector();
                float[] vector = textIndex[p] < 0 ? image
                        : Vectors.blended(image, embeddings.get(textIndex[p]).vector(), textWeight);
                DecodedMedia.DocumentPage page = document.pages().get(p);
                // The page's text layer or OCR text, shown with a matching page (the store cuts it to its limit).
                segments.add(new ItemVectors.Segment(page.index(), null, null, vector, page.hasText() ? page.text() : null));
                pages.add(vector);
            }
            return new ItemVectors(embeddings.get(0).model(), segments, Vectors.pooled(pages), null, null);
        });
    }
}
