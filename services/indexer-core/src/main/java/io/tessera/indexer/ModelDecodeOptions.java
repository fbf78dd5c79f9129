package io.tessera.indexer;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.TokenCounter;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
import io.tessera.indexer.internal.ItemRejectedException;
import io.tessera.media.DecodeOptions;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decode options that fit the model an item is embedded with.
 * <ul>
 *   <li>Texts: a chunk may be as long as the text tower reads ({@code maxLength}) minus its special tokens and minus
 *       the instruction the runtime puts in front of every text, counted with the model's own tokenizer. A chunk
 *       cut to this size is embedded whole; anything longer would be truncated silently by the runtime.
 *       Tokenizers are opened once per model version (from the model store), budgets once per model, task and
 *       instruction.</li>
 *   <li>Pictures: large JPEG and WebP images are subsampled while decoding by the largest integer step that keeps
 *       their short side at or above the tower's {@link ModelManifest.ImageTower#decodeShortSide()} (4 x the side the
 *       model's preprocessing resizes to; search-api decodes query images the same way); the runtime's resize does
 *       the rest. Closer to the model's side the skipped
 *       pixels alias and the embeddings of real photos drift below cosine 0.99 of the full decode's
 *       (SubsampledDecodeEmbeddingTest); video frames are decoded by FFmpeg straight to the input side. The configured
 *       values stay the upper bounds.</li>
 * </ul>
 * Public so that tools that decode items outside an indexer (the index benchmark's plain loop and raw inference)
 * decode them exactly as the indexers do.
 */
public final class ModelDecodeOptions implements AutoCloseable {

    /** Below this many tokens per chunk the instruction leaves no useful room: the item is rejected. */
    public static final int MIN_CHUNK_TOKENS = 8;

    private record Key(ModelRef model, String task, String instruction) {
    }

    private final ModelStore models;
    private final DecodeOptions base;
    private final Map<ModelRef, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, DecodeOptions> options = new ConcurrentHashMap<>();

    public ModelDecodeOptions(ModelStore models, DecodeOptions base) {
        this.models = models;
        this.base = base;
    }

    private final Map<ModelRef, DecodeOptions> pixels = new ConcurrentHashMap<>();

    /** The decode options for images, frames and pages embedded by {@code runtime}. */
    public DecodeOptions forPixels(EmbeddingRuntime runtime) {
        return pixels.computeIfAbsent(runtime.model(), ref -> {
            int side = runtime.inputShortSide();
            int imageTarget = imageTarget(base.imageTargetShortSide(), runtime.manifest().image());
            return base.toBuilder().imageTargetShortSide(imageTarget)
                    .frameShortSide(Math.min(base.frameShortSide(), side)).build();
        });
    }

    /**
     * The short side JPEGs (and WebPs) are decoded to at least, subsampled by the reader: the tower's
     * {@link ModelManifest.ImageTower#decodeShortSide()}, never above {@code configured} (0: no subsampling).
     */
    static int imageTarget(int configured, ModelManifest.ImageTower tower) {
        return configured == 0 || tower == null ? configured : Math.min(configured, tower.decodeShortSide());
    }

    /** The decode options for a text embedded by {@code runtime} with this task and instruction. */
    public DecodeOptions forText(EmbeddingRuntime runtime, String task, String instruction) {
        ModelRef model = runtime.model();
        return options.computeIfAbsent(new Key(model, task, instruction), k -> compute(runtime, k));
    }

    private DecodeOptions compute(EmbeddingRuntime runtime, Key key) {
        ModelManifest manifest = runtime.manifest();
        if (manifest.text() == null) {
            throw new ItemRejectedException("UNSUPPORTED_MODALITY", "model " + key.model() + " has no text tower");
        }
        Counter counter = counters.computeIfAbsent(key.model(), this::open);
        String prefix = runtime.instructedTexts(java.util.List.of(new TextInput("", key.task(), key.instruction()))).get(0);
        int budget = manifest.text().maxLength() - counter.specialTokens() - counter.count(prefix);
        if (budget < MIN_CHUNK_TOKENS) {
            throw new ItemRejectedException("INSTRUCTION_TOO_LONG", "the instruction takes "
                    + counter.count(prefix) + " of the " + manifest.text().maxLength() + " tokens model " + key.model()
                    + " reads, leaving fewer than " + MIN_CHUNK_TOKENS + " for the text; shorten it");
        }
        int overlap = Math.min(base.chunkOverlapTokens(), budget / 4);
        return base.toBuilder().maxChunkTokens(budget).chunkOverlapTokens(overlap).tokenCounter(counter).build();
    }

    private Counter open(ModelRef ref) {
        ModelDirectory dir = models.open(ref);
        Objects.requireNonNull(dir.manifest().text(), "text tower");
        return new Counter(TokenCounter.open(dir));
    }

    @Override
    public void close() {
        counters.values().forEach(c -> c.tokenizer.close());
        counters.clear();
    }

    /** The model's token counts, as media-decoding's chunker wants them. */
    private static final class Counter implements io.tessera.media.TokenCounter {
        private final TokenCounter tokenizer;

        Counter(TokenCounter tokenizer) {
            this.tokenizer = tokenizer;
        }

        @Override
        public int countTokens(String text) {
            return tokenizer.count(text);
        }

        int count(String text) {
            return tokenizer.count(text);
        }

        int specialTokens() {
            return tokenizer.specialTokens();
        }
    }
}
