package io.tessera.indexer.internal;

import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.TokenCounter;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import io.tessera.embedding.model.ModelStore;
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
 *   <li>Pictures: decoding pixels the model throws away is the largest avoidable cost of indexing images. Large
 *       images are subsampled while decoding down to twice the model's input side (not to the side itself:
 *       subsampling skips pixels, and the runtime's own resize from 2x averages them, which keeps thin lines and
 *       text from aliasing); video frames are decoded by FFmpeg straight to the input side. The configured values
 *       stay the upper bounds.</li>
 * </ul>
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
            // The side the model's preprocessing resizes to before its crop: CLIP 224, ImageNet CNNs 256.
            int side = runtime.inputShortSide();
            int imageTarget = base.imageTargetShortSide() == 0 ? 0 : Math.min(base.imageTargetShortSide(), 2 * side);
            return base.toBuilder().imageTargetShortSide(imageTarget)
                    .frameShortSide(Math.min(base.frameShortSide(), side)).build();
        });
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
