package io.tessera.media.internal;

import io.tessera.media.ocr.OcrResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Tesseract's TSV output ({@code tsv} config): a header, then one row per page, block, paragraph, line and word:
 * {@code level page_num block_num par_num line_num word_num left top width height conf text}. Words are level 5;
 * their {@code conf} is 0-100 (a float since Tesseract 5, an integer before). The other levels carry conf -1 and
 * no text, and give nothing that the word rows' numbering does not.
 */
final class TesseractTsv {

    private static final int WORD_LEVEL = 5;
    private static final int COLUMNS = 12;

    private TesseractTsv() {
    }

    /** The words in output (reading) order; rows that are not well-formed word rows are skipped. */
    static List<OcrResult.Word> parse(String tsv) {
        List<OcrResult.Word> words = new ArrayList<>();
        for (String line : tsv.split("\r?\n")) {
            // Limit 12: the text column is last, and whatever it holds stays in it.
            String[] f = line.split("\t", COLUMNS);
            if (f.length < COLUMNS || !f[0].equals(Integer.toString(WORD_LEVEL))) {
                continue; // header, page/block/paragraph/line rows, or a line cut short
            }
            String text = f[11].strip();
            if (text.isEmpty()) {
                continue;
            }
            try {
                float conf = Float.parseFloat(f[10]);
                if (conf < 0) {
                    continue;
                }
                words.add(new OcrResult.Word(text, Math.min(conf, 100f), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4])));
            } catch (NumberFormatException e) {
                // not a row Tesseract writes; skip it rather than lose the page's other words
            }
        }
        return words;
    }
}
