package io.tessera.embedding;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tessera.embedding.internal.OfflineNatives;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelManifest;
import java.io.IOException;

/**
 * Counts tokens with a model's own tokenizer, without special tokens and without truncation: what a caller needs to
 * cut texts into chunks that the text tower reads whole. Opened once per model version; thread-safe.
 */
public final class TokenCounter implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int special;

    private TokenCounter(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.special = tokenizer.encode("", true, false).getIds().length;
    }

    /**
     * @throws ModelLoadException when the model has no text tower or its tokenizer cannot be loaded
     */
    public static TokenCounter open(ModelDirectory dir) {
        ModelManifest.TextTower text = dir.manifest().text();
        if (text == null) {
            throw new ModelLoadException("model " + dir.ref() + " has no text tower, so no tokenizer");
        }
        OfflineNatives.configure();
        try {
            return new TokenCounter(HuggingFaceTokenizer.builder()
                    .optTokenizerPath(dir.file(text.tokenizer()))
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build());
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException("cannot open the tokenizer of " + dir.ref() + ": " + e.getMessage(), e);
        }
    }

    /** Tokens of {@code text} without special tokens. */
    public int count(String text) {
        return text.isEmpty() ? 0 : tokenizer.encode(text, false, false).getIds().length;
    }

    /** The special tokens the tokenizer adds around every text (e.g. [CLS] and [SEP]). */
    public int specialTokens() {
        return special;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
