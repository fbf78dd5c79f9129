package io.tessera.models.clip;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level BPE tokenizer built like CLIP's, with merges learned here from a small embedded English corpus (so
 * nothing is downloaded): the vocabulary is CLIP's construction, the 256 byte symbols of GPT-2's byte-to-unicode
 * table, the same 256 with the end-of-word suffix {@code </w>}, one token per merge, then {@code <|startoftext|>}
 * and {@code <|endoftext|>}. The two special tokens always take the last two ids of the model's vocabulary, as in
 * CLIP (49406 and 49407), because the text tower pools at the argmax of input_ids: the end-of-text token must have
 * the highest id. When the model's vocabulary is larger than what the merges fill (ViT-B/32's 49408), the ids in
 * between are simply unused.
 *
 * <p>Written as the files of a Hugging Face CLIP repository: {@code tokenizer.json} (the fast tokenizer, which
 * DJL and transformers.js read), {@code vocab.json}, {@code merges.txt}, {@code tokenizer_config.json},
 * {@code special_tokens_map.json}.
 */
final class ClipTokenizer {
    static final String BOS = "<|startoftext|>";
    static final String EOS = "<|endoftext|>";
    static final String END_OF_WORD = "</w>";
    /** CLIP's pre-tokenization regex (from its tokenizer.json), used by the Split pre-tokenizer. */
    static final String CLIP_PATTERN = "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+"
            + "|[\\p{N}]|[^\\s\\p{L}\\p{N}]+";
    /** At most this many merges are learned (fewer when no pair occurs twice any more). */
    static final int MAX_MERGES = 400;

    /** The corpus the merges are learned from: caption-like English, the kind of text a CLIP model sees. */
    private static final String CORPUS = """
            a photo of a cat. a photo of a dog. a photograph of the cat sitting on the sofa.
            a picture of a dog running in the park. a close-up photo of a small brown dog.
            a black and white photo of a city street at night. an old photo of people walking.
            a painting of a mountain landscape with a lake and trees. a drawing of a house.
            a red car parked on the street in front of a building. a blue truck on the road.
            two people standing on the beach watching the sunset over the ocean.
            a group of children playing football in the green field on a sunny day.
            a man riding a bicycle down the road. a woman holding an umbrella in the rain.
            a bowl of fresh fruit on the kitchen table. a plate of food with rice and vegetables.
            a cup of coffee next to a laptop computer on a wooden desk.
            a white bird flying over the water. a flock of birds in the blue sky.
            the view of the city skyline from the top of the tower at sunset.
            a train arriving at the station. an airplane flying above the clouds.
            a diagram showing the structure of the network. a chart of the results.
            a screenshot of a website with text and images. a page of a document with a table.
            a person wearing a black jacket and a red hat standing in the snow.
            a yellow flower in the garden. green leaves on a tree in the spring.
            a boat sailing on the river near the bridge. the old stone bridge over the river.
            a cat sleeping on a bed. a dog playing with a ball. a horse standing in the field.
            a cake with candles on the table. a pizza with cheese and tomato.
            the interior of a modern living room with a large window and a grey sofa.
            a street market with people selling fruit and vegetables.
            a portrait of a smiling woman with long hair. a portrait of an old man.
            a close-up of a person's hand holding a phone. a person reading a book.
            a mountain covered in snow under a clear blue sky. a forest in the autumn.
            an aerial view of the city with roads and buildings. a map of the world.
            a logo with the text in white letters on a dark background.
            a video frame showing a person speaking in front of a camera.
            a kitchen with white cabinets and a wooden floor. a bathroom with a mirror.
            children reading books in the library. students sitting in the classroom.
            a dog and a cat sitting together on the grass. two cats playing with each other.
            a bottle of water and a glass on the table. a bag on the chair.
            the moon in the night sky with stars. a rainbow over the hills after the rain.
            """;

    private final List<String> tokens;
    private final List<String> merges;
    private final int vocabSize;

    private ClipTokenizer(List<String> tokens, List<String> merges, int vocabSize) {
        this.tokens = tokens;
        this.merges = merges;
        this.vocabSize = vocabSize;
    }

    /** The vocabulary size with nothing unused: byte symbols, merges and the two special tokens. */
    static int naturalVocabSize() {
        return learned().tokens.size() + 2;
    }

    /** The tokenizer for a model with this many token embeddings (at least {@link #naturalVocabSize()}). */
    static ClipTokenizer forVocabSize(int vocabSize) {
        ClipTokenizer base = learned();
        if (vocabSize < base.tokens.size() + 2) {
            throw new IllegalArgumentException("vocab_size " + vocabSize + " is smaller than the tokenizer's "
                    + (base.tokens.size() + 2) + " tokens");
        }
        return new ClipTokenizer(base.tokens, base.merges, vocabSize);
    }

    int vocabSize() {
        return vocabSize;
    }

    int bosId() {
        return vocabSize - 2;
    }

    int eosId() {
        return vocabSize - 1;
    }

    List<String> merges() {
        return merges;
    }

    /** Token to id, special tokens included. */
    Map<String, Integer> vocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        vocab.put(BOS, bosId());
        vocab.put(EOS, eosId());
        return vocab;
    }

    // ---------------------------------------------------------------- learning the merges

    private static volatile ClipTokenizer learned;

    private static ClipTokenizer learned() {
        ClipTokenizer t = learned;
        if (t == null) {
            t = train(CORPUS, MAX_MERGES);
            learned = t;
        }
        return t;
    }

    /**
     * Plain BPE training (Sennrich et al.) over the words of {@code corpus}: repeatedly merge the most frequent
     * adjacent pair of symbols, counting each word by its frequency. Ties go to the lexicographically smallest
     * pair, so the result depends on nothing but the corpus.
     */
    static ClipTokenizer train(String corpus, int maxMerges) {
        Map<String, Integer> wordCounts = new TreeMap<>();
        for (String word : preTokenize(corpus)) {
            wordCounts.merge(word, 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Map.Entry<String, Integer> e : wordCounts.entrySet()) {
            words.add(symbols(e.getKey()));
            counts.add(e.getValue());
        }

        List<String> tokens = new ArrayList<>(byteSymbols());
        for (String s : byteSymbols()) {
            tokens.add(s + END_OF_WORD);
        }
        java.util.Set<String> known = new java.util.HashSet<>(tokens);
        List<String> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> sym = words.get(w);
                for (int i = 0; i + 1 < sym.size(); i++) {
                    pairs.merge(sym.get(i) + " " + sym.get(i + 1), counts.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null) {
                break;
            }
            merges.add(best);
            String left = best.substring(0, best.indexOf(' '));
            String right = best.substring(best.indexOf(' ') + 1);
            if (known.add(left + right)) {
                tokens.add(left + right);
            }
            for (List<String> sym : words) {
                applyMerge(sym, left, right);
            }
        }
        return new ClipTokenizer(List.copyOf(tokens), List.copyOf(merges), tokens.size() + 2);
    }

    private static void applyMerge(List<String> sym, String left, String right) {
        for (int i = 0; i + 1 < sym.size(); i++) {
            if (sym.get(i).equals(left) && sym.get(i + 1).equals(right)) {
                sym.set(i, left + right);
                sym.remove(i + 1);
            }
        }
    }

    /** CLIP's normalisation and pre-tokenization in Java: whitespace collapsed, lower case, split on the regex. */
    static List<String> preTokenize(String text) {
        String normalised = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC)
                .replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        Matcher m = Pattern.compile(CLIP_PATTERN, Pattern.UNICODE_CHARACTER_CLASS).matcher(normalised);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** A word as byte-level symbols, the last one carrying the end-of-word suffix. */
    static List<String> symbols(String word) {
        String[] table = byteToUnicode();
        List<String> sym = new ArrayList<>();
        for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            sym.add(table[b & 0xff]);
        }
        sym.set(sym.size() - 1, sym.get(sym.size() - 1) + END_OF_WORD);
        return sym;
    }

    /** The tokens of one word by this tokenizer's merges (lowest rank first), as the BPE model applies them. */
    List<String> encodeWord(String word) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < merges.size(); i++) {
            rank.putIfAbsent(merges.get(i), i);
        }
        List<String> sym = symbols(word);
        while (true) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < sym.size(); i++) {
                Integer r = rank.get(sym.get(i) + " " + sym.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                return sym;
            }
            String pair = merges.get(bestRank);
            applyMerge(sym, pair.substring(0, pair.indexOf(' ')), pair.substring(pair.indexOf(' ') + 1));
        }
    }

    /**
     * GPT-2's reversible byte-to-unicode table: printable bytes map to themselves, the others to unused code
     * points from U+0100 on, so every byte is a visible character (space becomes 'Ġ').
     */
    static String[] byteToUnicode() {
        String[] table = new String[256];
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = new String(Character.toChars(printable ? b : 256 + next++));
        }
        return table;
    }

    /** The 256 byte symbols in CLIP's vocabulary order: the printable bytes first, then the remapped ones. */
    static List<String> byteSymbols() {
        String[] table = byteToUnicode();
        List<String> printable = new ArrayList<>();
        List<String> remapped = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            (table[b].codePointAt(0) == b ? printable : remapped).add(table[b]);
        }
        printable.addAll(remapped);
        return printable;
    }

    // ---------------------------------------------------------------- files

    /** {@code tokenizer.json} in the Hugging Face tokenizers format, shaped like openai/clip-vit-base-patch32's. */
    Map<String, Object> tokenizerJson(int maxLength) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        // CLIP's own file has no truncation or padding (transformers sets them per call); here they are set so
        // that a plain tokenizer.json reader pads with <|endoftext|> and never exceeds the 77 positions.
        root.put("truncation", map("direction", "Right", "max_length", maxLength, "strategy", "LongestFirst",
                "stride", 0));
        root.put("padding", map("strategy", "BatchLongest", "direction", "Right", "pad_to_multiple_of", null,
                "pad_id", eosId(), "pad_type_id", 0, "pad_token", EOS));
        root.put("added_tokens", List.of(addedToken(bosId(), BOS), addedToken(eosId(), EOS)));
        root.put("normalizer", map("type", "Sequence", "normalizers", List.of(
                map("type", "NFC"),
                map("type", "Replace", "pattern", map("Regex", "\\s+"), "content", " "),
                map("type", "Lowercase"))));
        root.put("pre_tokenizer", map("type", "Sequence", "pretokenizers", List.of(
                map("type", "Split", "pattern", map("Regex", CLIP_PATTERN), "behavior", "Removed",
                        "invert", true),
                map("type", "ByteLevel", "add_prefix_space", false, "trim_offsets", true, "use_regex", false))));
        root.put("post_processor", map("type", "RobertaProcessing", "sep", List.of(EOS, eosId()),
                "cls", List.of(BOS, bosId()), "trim_offsets", false, "add_prefix_space", false));
        root.put("decoder", map("type", "ByteLevel", "add_prefix_space", true, "trim_offsets", true,
                "use_regex", true));
        root.put("model", map("type", "BPE", "dropout", null, "unk_token", EOS, "continuing_subword_prefix", "",
                "end_of_word_suffix", END_OF_WORD, "fuse_unk", false, "byte_fallback", false,
                "vocab", vocab(), "merges", merges));
        return root;
    }

    /** {@code merges.txt} of the slow CLIPTokenizer. */
    String mergesTxt() {
        return "#version: 0.2\n" + String.join("\n", merges) + "\n";
    }

    Map<String, Object> tokenizerConfig(int maxLength) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("add_prefix_space", false);
        c.put("bos_token", BOS);
        c.put("clean_up_tokenization_spaces", true);
        c.put("do_lower_case", true);
        c.put("eos_token", EOS);
        c.put("errors", "replace");
        c.put("model_max_length", maxLength);
        c.put("pad_token", EOS);
        c.put("tokenizer_class", "CLIPTokenizer");
        c.put("unk_token", EOS);
        return c;
    }

    Map<String, Object> specialTokensMap() {
        return map("bos_token", BOS, "eos_token", EOS, "pad_token", EOS, "unk_token", EOS);
    }

    private static Map<String, Object> addedToken(int id, String content) {
        return map("id", id, "content", content, "single_word", false, "lstrip", false, "rstrip", false,
                "normalized", true, "special", true);
    }

    /** A map in the given key order (the JSON writer sorts keys anyway; this one allows null values). */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
