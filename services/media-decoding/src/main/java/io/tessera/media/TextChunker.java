package io.tessera.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a text into chunks of at most {@code maxTokens} tokens (as the model's tokenizer counts them),
 * consecutive chunks sharing about {@code overlapTokens} tokens, cut only between words.
 *
 * <p>Words are counted one at a time and a chunk's total is then checked on the chunk itself, because
 * subword tokenizers may count a run of words differently from the sum of its words. A single "word" too long
 * for a chunk (a URL, a text without spaces such as Chinese) is cut at the longest prefix that fits.
 * Written by hand: the tokenizer libraries truncate or window by tokens, not on word boundaries with offsets.
 */
public final class TextChunker {

    private final int maxTokens;
    private final int overlapTokens;
    private final int maxChunkChars;
    private final TokenCounter counter;

    public TextChunker(int maxTokens, int overlapTokens, int maxChunkChars, TokenCounter counter) {
        if (maxTokens <= 0 || maxChunkChars <= 0) {
            throw new IllegalArgumentException("maxTokens and maxChunkChars must be positive");
        }
        if (overlapTokens < 0 || overlapTokens >= maxTokens) {
            throw new IllegalArgumentException("overlapTokens must be in [0, maxTokens), was " + overlapTokens);
        }
        this.maxTokens = maxTokens;
        this.overlapTokens = overlapTokens;
        this.maxChunkChars = maxChunkChars;
        this.counter = Objects.requireNonNull(counter, "counter");
    }

    public static TextChunker from(DecodeOptions options) {
        return new TextChunker(options.maxChunkTokens(), options.chunkOverlapTokens(), options.maxChunkChars(),
                options.tokenCounter());
    }

    /** Chunks {@code text}; an empty list when it has no words. */
    public List<TextChunk> chunk(String text) {
        return chunk(text, Integer.MAX_VALUE);
    }

    /**
     * Chunks {@code text}, giving up as soon as more than {@code maxChunks} would be needed.
     *
     * @throws TooManyChunksException when the text needs more than {@code maxChunks} chunks
     */
    public List<TextChunk> chunk(String text, int maxChunks) {
        List<Unit> units = units(text);
        List<TextChunk> chunks = new ArrayList<>();
        int start = 0;
        while (start < units.size()) {
            int end = start;
            int tokens = 0;
            // Grow while the sum of word counts and the span fit; a unit alone always fits (units() ensures it).
            while (end < units.size()) {
                Unit u = units.get(end);
                boolean fits = tokens + u.tokens <= maxTokens && u.end - units.get(start).start <= maxChunkChars;
                if (!fits && end > start) {
                    break;
                }
                tokens += u.tokens;
                end++;
            }
            String chunkText = text.substring(units.get(start).start, units.get(end - 1).end);
            int actual = counter.countTokens(chunkText);
            while (actual > maxTokens && end - start > 1) {
                end--;
                chunkText = text.substring(units.get(start).start, units.get(end - 1).end);
                actual = counter.countTokens(chunkText);
            }
            if (chunks.size() == maxChunks) {
                throw new TooManyChunksException(maxChunks);
            }
            chunks.add(new TextChunk(chunks.size(), chunkText, units.get(start).start, units.get(end - 1).end, actual));
            if (end == units.size()) {
                break;
            }
            int next = end;
            int overlap = 0;
            while (next - 1 > start && overlap + units.get(next - 1).tokens <= overlapTokens) {
                overlap += units.get(next - 1).tokens;
                next--;
            }
            start = next;
        }
        return chunks;
    }

    /** Thrown by {@link #chunk(String, int)}; the decoder turns it into {@link RejectReason#TEXT_LIMIT}. */
    public static final class TooManyChunksException extends RuntimeException {
        TooManyChunksException(int maxChunks) {
            super("the text needs more than " + maxChunks + " chunks");
        }
    }

    private record Unit(int start, int end, int tokens) {
    }

    private List<Unit> units(String text) {
        List<Unit> units = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSpace(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            if (i >= n) {
                break;
            }
            int wordStart = i;
            while (i < n && !isSpace(text.codePointAt(i))) {
                i += Character.charCount(text.codePointAt(i));
            }
            addWord(text, wordStart, i, units);
        }
        return units;
    }

    private void addWord(String text, int start, int end, List<Unit> units) {
        while (start < end) {
            String word = text.substring(start, end);
            int tokens = Math.max(1, counter.countTokens(word));
            if (tokens <= maxTokens && end - start <= maxChunkChars) {
                units.add(new Unit(start, end, tokens));
                return;
            }
            int cut = longestFittingPrefix(text, start, end);
            units.add(new Unit(start, cut, Math.max(1, counter.countTokens(text.substring(start, cut)))));
            start = cut;
        }
    }

    /** Binary search over code point boundaries for the longest prefix within both limits (at least one code point). */
    private int longestFittingPrefix(String text, int start, int end) {
        int limit = Math.min(end, start + maxChunkChars);
        List<Integer> bounds = new ArrayList<>();
        int i = start;
        do {
            i += Character.charCount(text.codePointAt(i));
            bounds.add(i); // the first code point is always taken, so every call makes progress
        } while (i < limit);
        if (bounds.size() > 1 && bounds.get(bounds.size() - 1) > limit) {
            bounds.remove(bounds.size() - 1);
        }
        int lo = 0;
        int hi = bounds.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (counter.countTokens(text.substring(start, bounds.get(mid))) <= maxTokens) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return bounds.get(lo);
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }
}
