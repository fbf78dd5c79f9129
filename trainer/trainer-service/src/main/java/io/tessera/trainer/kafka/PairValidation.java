package io.tessera.trainer.kafka;

import io.tessera.events.CuratedPair;
import io.tessera.events.InlineBytes;
import io.tessera.events.Item;

/** The checks a pair must pass to be buffered; what fails is a poison pill (the DLQ says why). */
public final class PairValidation {

    private PairValidation() {
    }

    /** Why the pair cannot be trained on, or null when it can. */
    public static String problem(CuratedPair p, int maxInlineBytes) {
        if (p.getPairId() == null || p.getPairId().isBlank()) {
            return "pairId is blank";
        }
        if (p.getTask() == null || p.getTask().isBlank()) {
            return "pair " + p.getPairId() + ": task is blank (the trainer keeps a temperature per task)";
        }
        if (!(p.getWeight() > 0) || !Double.isFinite(p.getWeight())) {
            return "pair " + p.getPairId() + ": weight must be a positive number, got " + p.getWeight();
        }
        String q = itemProblem(p.getQuery());
        if (q != null) {
            return "pair " + p.getPairId() + ": query " + q;
        }
        String pos = itemProblem(p.getPositive());
        if (pos != null) {
            return "pair " + p.getPairId() + ": positive " + pos;
        }
        long inline = inlineBytes(p.getQuery()) + inlineBytes(p.getPositive());
        for (int i = 0; i < p.getNegatives().size(); i++) {
            String n = itemProblem(p.getNegatives().get(i));
            if (n != null) {
                return "pair " + p.getPairId() + ": negative " + i + " " + n;
            }
            inline += inlineBytes(p.getNegatives().get(i));
        }
        if (inline > maxInlineBytes) {
            return "pair " + p.getPairId() + " carries " + inline + " bytes of inline media, more than the limit of "
                    + maxInlineBytes + " (tessera.trainer.media.max-pair-bytes): send media by reference or mediaId";
        }
        return null;
    }

    private static String itemProblem(Item item) {
        if (item == null) {
            return "is missing";
        }
        boolean hasText = item.getText() != null && !item.getText().isBlank();
        if (!hasText && item.getMediaId() == null && item.getContent() == null) {
            return "has no text, mediaId or content";
        }
        if (item.getMediaId() != null && item.getMediaId().isBlank()) {
            return "has a blank mediaId";
        }
        return null;
    }

    private static long inlineBytes(Item item) {
        return item != null && item.getContent() instanceof InlineBytes b ? b.getData().remaining() : 0;
    }
}
