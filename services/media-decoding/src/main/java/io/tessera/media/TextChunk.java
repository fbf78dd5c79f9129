package io.tessera.media;

/**
 * A piece of a text: {@code text} equals {@code source.substring(startChar, endChar)}.
 *
 * @param index  0-based position among the chunks
 * @param tokens what the {@link TokenCounter} counted for it
 */
public record TextChunk(int index, String text, int startChar, int endChar, int tokens) {
}
