package io.tessera.media.ocr;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The words an engine read, in reading order.
 *
 * @param words   recognised words with their confidence; empty when the picture shows no text
 * @param width   width of the picture the engine read (after the {@link OcrRequest#maxPixels()} downscale)
 * @param height  its height
 * @param elapsed how long the call took, engine start-up included
 */
public record OcrResult(List<Word> words, int width, int height, Duration elapsed) {

    /**
     * One word. {@code block}, {@code paragraph} and {@code line} number the layout the engine found, so the text can
     * be laid out again after low-confidence words are dropped.
     *
     * @param confidence 0 (a guess) to 100 (certain), as the engine reports it
     */
    public record Word(String text, float confidence, int block, int paragraph, int line) {
        public Word {
            Objects.requireNonNull(text, "text");
        }
    }

    public OcrResult {
        words = List.copyOf(words);
        Objects.requireNonNull(elapsed, "elapsed");
    }

    /** All words: spaces within a line, a line break between lines, a blank line between paragraphs. */
    public String text() {
        return text(0);
    }

    /**
     * The words whose confidence is at least {@code minConfidence}, laid out like {@link #text()}. On photos and video
     * frames an engine "reads" textures as short words of low confidence; dropping those keeps the text that is there.
     */
    public String text(double minConfidence) {
        StringBuilder sb = new StringBuilder();
        Word previous = null;
        for (Word w : words) {
            if (w.confidence() < minConfidence || w.text().isBlank()) {
                continue;
            }
            if (previous != null) {
                if (w.block() != previous.block() || w.paragraph() != previous.paragraph()) {
                    sb.append("\n\n");
                } else if (w.line() != previous.line()) {
                    sb.append('\n');
                } else {
                    sb.append(' ');
                }
            }
            sb.append(w.text());
            previous = w;
        }
        return sb.toString();
    }

    /** Mean word confidence (0-100); 0 when there are no words. */
    public double meanConfidence() {
        return words.stream().mapToDouble(Word::confidence).average().orElse(0);
    }
}
