package io.tessera.media;

/**
 * Counts the tokens a model's tokenizer makes of a piece of text, without special tokens. The text chunker
 * calls it once per word (and on prefixes of words too long for one chunk), so the embedding runtime's
 * tokenizer plugs in as {@code text -> tokenizer.encode(text, false).length}.
 */
@FunctionalInterface
public interface TokenCounter {

    int countTokens(String text);

    /** One token per whitespace-separated word: the default when no tokenizer is at hand. */
    static TokenCounter whitespace() {
        return text -> {
            int count = 0;
            boolean inWord = false;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                boolean space = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
                if (!space && !inWord) {
                    count++;
                }
                inWord = !space;
                i += Character.charCount(cp);
            }
            return count;
        };
    }
}
