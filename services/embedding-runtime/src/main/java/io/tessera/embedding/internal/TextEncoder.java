package io.tessera.embedding.internal;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Tokenizes with DJL's binding of Hugging Face tokenizers (a local tokenizer.json, offline), truncating to the
 * model's length and padding to the longest text of the batch or, for fixed-shape graphs, to the full length.
 * Create through {@link #open}, which switches DJL to offline mode before its classes load.
 */
public final class TextEncoder implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final int maxLength;
    private final boolean padToMaxLength;

    /** Token ids and attention mask of a batch, [n, length] row-major. */
    public record Batch(int n, int length, long[] ids, long[] mask) {
        public void writeIds(LongBuffer dst) {
            dst.put(0, ids, 0, n * length);
        }

        public void writeMask(LongBuffer dst) {
            dst.put(0, mask, 0, n * length);
        }
    }

    private TextEncoder(HuggingFaceTokenizer tokenizer, int maxLength, boolean padToMaxLength) {
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
        this.padToMaxLength = padToMaxLength;
    }

    public static TextEncoder open(Path tokenizerJson, int maxLength, boolean padToMaxLength) throws IOException {
        OfflineNatives.configure();
        HuggingFaceTokenizer.Builder b = HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerJson)
                .optAddSpecialTokens(true)
                .optTruncation(true)
                .optMaxLength(maxLength);
        if (padToMaxLength) {
            b.optPadToMaxLength();
        } else {
            b.optPadding(true);
        }
        return new TextEncoder(b.build(), maxLength, padToMaxLength);
    }

    public int maxLength() {
        return maxLength;
    }

    public Batch encode(List<String> texts) {
        Encoding[] enc = tokenizer.batchEncode(texts);
        int length = 0;
        for (Encoding e : enc) {
            length = Math.max(length, e.getIds().length);
        }
        if (padToMaxLength) {
            length = maxLength;
        }
        int n = texts.size();
        long[] ids = new long[n * length];
        long[] mask = new long[n * length];
        for (int i = 0; i < n; i++) {
            long[] e = enc[i].getIds();
            long[] m = enc[i].getAttentionMask();
            int len = Math.min(e.length, length);
            System.arraycopy(e, 0, ids, i * length, len);
            System.arraycopy(m, 0, mask, i * length, len);
        }
        return new Batch(n, length, ids, mask);
    }

    /** The tokens of one text (for diagnostics and tests). */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(text).getTokens());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
