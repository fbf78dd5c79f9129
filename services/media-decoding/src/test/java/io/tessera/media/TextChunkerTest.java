package io.tessera.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextChunkerTest {

    private static final String TEXT = IntStream.range(0, 100).mapToObj(i -> "w" + i)
            .collect(Collectors.joining(" "));

    @Test
    void whitespaceCounterCountsWords() {
        assertEquals(0, TokenCounter.whitespace().countTokens("  \n\t "));
        assertEquals(3, TokenCounter.whitespace().countTokens(" one\ttwo\n three "));
        assertEquals(3, TokenCounter.whitespace().countTokens("no\u00A0break\u2003space")); // Unicode spaces too
    }

    @Test
    void chunksHoldAtMostMaxTokensOverlapAndCoverEveryWord() {
        List<TextChunk> chunks = new TextChunker(10, 3, 10_000, TokenCounter.whitespace()).chunk(TEXT);

        for (TextChunk chunk : chunks) {
            assertTrue(chunk.tokens() <= 10, chunk.toString());
            assertEquals(TEXT.substring(chunk.startChar(), chunk.endChar()), chunk.text());
            assertFalse(Character.isWhitespace(chunk.text().charAt(0)));
            assertFalse(Character.isWhitespace(chunk.text().charAt(chunk.text().length() - 1)));
        }
        // word boundaries: every chunk starts at a word start and ends at a word end
        for (TextChunk chunk : chunks) {
            assertTrue(chunk.startChar() == 0 || TEXT.charAt(chunk.startChar() - 1) == ' ');
            assertTrue(chunk.endChar() == TEXT.length() || TEXT.charAt(chunk.endChar()) == ' ');
        }
        // 10 words per chunk, 3 shared: starts at words 0, 7, 14, ...
        assertEquals("w0 w1 w2 w3 w4 w5 w6 w7 w8 w9", chunks.get(0).text());
        assertTrue(chunks.get(1).text().startsWith("w7 w8 w9 w10"), chunks.get(1).text());
        assertEquals(0, chunks.get(0).startChar());
        assertEquals(TEXT.length(), chunks.get(chunks.size() - 1).endChar());
        List<String> covered = new ArrayList<>();
        chunks.forEach(c -> covered.addAll(List.of(c.text().split(" "))));
        for (int i = 0; i < 100; i++) {
            assertTrue(covered.contains("w" + i), "w" + i);
        }
        for (int i = 0; i < chunks.size(); i++) {
            assertEquals(i, chunks.get(i).index());
        }
    }

    @Test
    void aTokenizerCountingSubwordsIsRespected() {
        // a toy tokenizer: every 3 characters of a word are a token
        TokenCounter subwords = text -> List.of(text.trim().split("\\s+")).stream()
                .filter(w -> !w.isEmpty()).mapToInt(w -> (w.length() + 2) / 3).sum();
        String text = "internationalization is a remarkably long word to tokenize";

        List<TextChunk> chunks = new TextChunker(8, 2, 10_000, subwords).chunk(text);

        for (TextChunk chunk : chunks) {
            assertTrue(subwords.countTokens(chunk.text()) <= 8, chunk.toString());
            assertEquals(subwords.countTokens(chunk.text()), chunk.tokens());
        }
        assertEquals(text.length(), chunks.get(chunks.size() - 1).endChar());
    }

    @Test
    void aWordLongerThanAChunkIsCutAtTheLongestPrefixThatFits() {
        TokenCounter perChar = String::length; // e.g. CJK without spaces: a token a character
        String text = "短".repeat(25);

        List<TextChunk> chunks = new TextChunker(10, 0, 10_000, perChar).chunk(text);

        assertEquals(List.of(10, 10, 5), chunks.stream().map(TextChunk::tokens).toList());
        assertEquals(text, chunks.stream().map(TextChunk::text).collect(Collectors.joining()));
    }

    @Test
    void chunkCharacterCapBoundsAWordlessText() {
        String text = "x".repeat(5000); // one "word" for the whitespace counter

        List<TextChunk> chunks = new TextChunker(75, 15, 2000, TokenCounter.whitespace()).chunk(text);

        assertEquals(List.of(2000, 2000, 1000), chunks.stream().map(c -> c.text().length()).toList());
    }

    @Test
    void surrogatePairsAreNeverSplit() {
        String text = "😀".repeat(7);

        List<TextChunk> chunks = new TextChunker(100, 0, 5, TokenCounter.whitespace()).chunk(text);

        for (TextChunk chunk : chunks) {
            assertTrue(chunk.text().codePoints().allMatch(cp -> cp == "😀".codePointAt(0)), chunk.text());
        }
        assertEquals(text, chunks.stream().map(TextChunk::text).collect(Collectors.joining()));
    }

    @Test
    void shortTextIsOneChunkAndBlankTextNone() {
        assertEquals(1, new TextChunker(75, 15, 2000, TokenCounter.whitespace()).chunk("a short text").size());
        assertTrue(new TextChunker(75, 15, 2000, TokenCounter.whitespace()).chunk(" \n ").isEmpty());
    }

    @Test
    void moreChunksThanAllowedIsAnError() {
        TextChunker chunker = new TextChunker(10, 0, 10_000, TokenCounter.whitespace());

        assertThrows(TextChunker.TooManyChunksException.class, () -> chunker.chunk(TEXT, 5));
        assertEquals(10, chunker.chunk(TEXT, 10).size());
    }
}
