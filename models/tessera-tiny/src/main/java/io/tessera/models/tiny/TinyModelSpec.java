package io.tessera.models.tiny;

import java.util.Arrays;

/**
 * Parameters of a generated model. {@link #tesseraTiny()} is the default model; {@link #clipShaped()} has the exact
 * names and shapes of an exported CLIP ViT-B (3x224x224 pixels, 77 tokens, 512-d, {@code visual_projection.weight},
 * {@code text_projection.weight}) so the code path a real export takes is exercised without downloading one.
 *
 * @param imageSize square input side; every colour grid must divide it, and every edge grid must divide both it
 *     and {@code imageSize / edgeDownsample}
 * @param colourGrids grid sizes g of the per-cell colour histograms (g×g cells each)
 * @param edgeDownsample average-pooling factor before the oriented edge filters
 * @param edgeGrids grid sizes of the pooled edge and luminance-texture features
 * @param maxLength tokens per text, special tokens included
 * @param padToMaxLength whether texts are padded to maxLength (fixed-shape graphs) or to the batch's longest
 * @param dimension shared embedding size
 * @param wordDimension size of the fixed word embeddings
 * @param bigramBuckets hash buckets of word bigrams
 * @param bigramDimension size of the fixed bigram embeddings
 * @param withInstructions whether the manifest carries RzenEmbed-style instruction templates
 * @param withPrior whether the initial projections carry the colour/position prior (see TinyProjections)
 */
public record TinyModelSpec(
        String name,
        int version,
        int imageSize,
        int[] colourGrids,
        int edgeDownsample,
        int[] edgeGrids,
        int maxLength,
        boolean padToMaxLength,
        int dimension,
        int wordDimension,
        int bigramBuckets,
        int bigramDimension,
        String visionFile,
        String textFile,
        String imageProjection,
        String textProjection,
        long seed,
        boolean withInstructions,
        boolean withPrior) {

    public TinyModelSpec {
        for (int g : colourGrids) {
            if (g < 1 || imageSize % g != 0) {
                throw new IllegalArgumentException("colour grid " + g + " does not divide image size " + imageSize);
            }
        }
        if (edgeDownsample < 1 || imageSize % edgeDownsample != 0) {
            throw new IllegalArgumentException("edge downsample " + edgeDownsample + " does not divide " + imageSize);
        }
        for (int g : edgeGrids) {
            if (g < 1 || (imageSize / edgeDownsample) % g != 0 || imageSize % g != 0) {
                throw new IllegalArgumentException("edge grid " + g + " does not divide " + imageSize + " and "
                        + imageSize / edgeDownsample);
            }
        }
        if (maxLength < 2 || dimension < 1 || wordDimension < 1 || bigramBuckets < 1 || bigramDimension < 1) {
            throw new IllegalArgumentException("sizes must be positive (maxLength >= 2)");
        }
        colourGrids = colourGrids.clone();
        edgeGrids = edgeGrids.clone();
    }

    /**
     * The default model. 96×96 pixels: the demo's pictures are flat synthetic shapes, and 96 keeps a small shape
     * (about a tenth of the side) at ~10 pixels for the colour maps and ~5 for the edge filters, while the whole
     * image tower stays near a millisecond per image on a CPU core; 96 is also divisible by the 1, 2, 3 and 4 cell
     * grids (3×3 matches "top left / centre / bottom right" language).
     */
    public static TinyModelSpec tesseraTiny() {
        return new TinyModelSpec("tessera-tiny", 1, 96, new int[] {1, 2, 3, 4}, 2, new int[] {1, 3},
                64, false, 256, 384, 4093, 128,
                "onnx/vision_model.onnx", "onnx/text_model.onnx", "image_projection.weight", "text_projection.weight",
                20_251_122L, true, true);
    }

    /** CLIP ViT-B/32's names and shapes, for tests of the code path a real CLIP export takes. */
    public static TinyModelSpec clipShaped() {
        return new TinyModelSpec("clip-shaped", 1, 224, new int[] {1, 2, 4, 7}, 4, new int[] {1, 7},
                77, true, 512, 256, 1021, 64,
                "onnx/vision_model.onnx", "onnx/text_model.onnx", "visual_projection.weight", "text_projection.weight",
                7L, false, false);
    }

    public TinyModelSpec withNameAndVersion(String newName, int newVersion) {
        return new TinyModelSpec(newName, newVersion, imageSize, colourGrids, edgeDownsample, edgeGrids, maxLength,
                padToMaxLength, dimension, wordDimension, bigramBuckets, bigramDimension, visionFile, textFile,
                imageProjection, textProjection, seed, withInstructions, withPrior);
    }

    /** Number of image features entering the image projection. */
    public int imageFeatureDimension() {
        int k = TinyFeatures.COLOURS.size();
        int o = TinyFeatures.ORIENTATIONS_DEGREES.length;
        int colour = Arrays.stream(colourGrids).map(g -> k * g * g).sum();
        int edges = Arrays.stream(edgeGrids).map(g -> k * o * g * g).sum();
        int texture = Arrays.stream(edgeGrids).map(g -> 3 * g * g).sum();
        return colour + edges + texture;
    }

    /** Number of text features entering the text projection. */
    public int textFeatureDimension() {
        return wordDimension + bigramDimension;
    }

    @Override
    public String toString() {
        return "TinyModelSpec[" + name + "/" + version + " image=" + imageSize + " colourGrids="
                + Arrays.toString(colourGrids) + " edgeDownsample=" + edgeDownsample + " edgeGrids="
                + Arrays.toString(edgeGrids) + " maxLength=" + maxLength + " pad=" + padToMaxLength + " dim="
                + dimension + " words=" + wordDimension + " bigrams=" + bigramBuckets + "x" + bigramDimension
                + " files=" + visionFile + "," + textFile + " projections=" + imageProjection + "," + textProjection
                + " seed=" + seed + " instructions=" + withInstructions + " prior=" + withPrior + "]";
    }
}
