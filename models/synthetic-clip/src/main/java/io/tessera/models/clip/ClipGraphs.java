package io.tessera.models.clip;

import static io.tessera.embedding.onnx.OnnxGraphBuilder.FLOAT;
import static io.tessera.embedding.onnx.OnnxGraphBuilder.INT64;
import static io.tessera.embedding.onnx.OnnxGraphBuilder.attr;

import ai.onnx.proto.OnnxMl;
import io.tessera.embedding.onnx.OnnxGraphBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ONNX graphs of Hugging Face's CLIPModel, op for op what {@code transformers}' modeling_clip.py computes
 * (and what a TorchScript export of it contains): the vision tower of CLIPVisionModelWithProjection, the text
 * tower of CLIPTextModelWithProjection, and the combined CLIPModel with its logits.
 *
 * <p>Intermediate values are named the way the TorchScript exporter names them ({@code
 * /vision_model/encoder/layers.0/self_attn/q_proj/MatMul_output_0}), so a graph reads in Netron like a real
 * export and the layer a value belongs to is obvious from its name.
 */
final class ClipGraphs {
    static final int OPSET = 17;
    static final String PRODUCER = "tessera-synthetic-clip";
    static final int FLOAT16 = OnnxMl.TensorProto.DataType.FLOAT16.getNumber();
    static final int INT32 = OnnxMl.TensorProto.DataType.INT32.getNumber();

    static final double LAYER_NORM_EPS = 1e-5;
    /** quick_gelu(x) = x * sigmoid(1.702 x), CLIP's activation ({@code hidden_act: "quick_gelu"}). */
    static final float QUICK_GELU_ALPHA = 1.702f;
    /**
     * The additive mask value. HF uses float32's minimum; a finite -1e9 behaves the same after Softmax but stays
     * finite when the causal and the padding mask are added together.
     */
    static final float MASK_VALUE = -1e9f;
    /** CLIP's logit_scale_init_value, ln(1 / 0.07). */
    static final double LOGIT_SCALE_INIT = 2.6592;

    /** A graph without its large initializers, and those initializers to stream in when writing. */
    record Built(OnnxMl.ModelProto skeleton, List<OnnxStreamWriter.Tensor> tensors, long parameterCount) {}

    private ClipGraphs() {}

    // ---------------------------------------------------------------- the three files

    /** {@code vision_model.onnx}: pixel_values -> image_embeds, last_hidden_state. */
    static Built visionModel(SyntheticClip.Spec spec, long seed, boolean fp16) {
        Ctx c = new Ctx("vision_model", spec, seed, fp16);
        String pixels = c.floatInput("pixel_values", "batch_size", 3, spec.imageSize(), spec.imageSize());
        Tower v = vision(c, pixels);
        c.output(v.embeds(), "image_embeds", "batch_size", spec.projectionDim());
        c.output(v.lastHidden(), "last_hidden_state", "batch_size", spec.visionTokens(), spec.visionWidth());
        return c.build(spec, seed, "CLIP vision tower (CLIPVisionModelWithProjection)");
    }

    /** {@code text_model.onnx}: input_ids, attention_mask -> text_embeds, last_hidden_state. */
    static Built textModel(SyntheticClip.Spec spec, long seed, boolean fp16) {
        Ctx c = new Ctx("text_model", spec, seed, fp16);
        String ids = c.g.input("input_ids", INT64, "batch_size", "sequence_length");
        String mask = c.g.input("attention_mask", INT64, "batch_size", "sequence_length");
        Tower t = text(c, ids, mask);
        c.output(t.embeds(), "text_embeds", "batch_size", spec.projectionDim());
        c.output(t.lastHidden(), "last_hidden_state", "batch_size", "sequence_length", spec.textWidth());
        return c.build(spec, seed, "CLIP text tower (CLIPTextModelWithProjection)");
    }

    /**
     * {@code model.onnx}, Optimum's CLIPModel export: input_ids, attention_mask, pixel_values -> logits_per_image,
     * logits_per_text, text_embeds, image_embeds. As in CLIPModel.forward, the embeddings of this graph are
     * L2-normalised (the towers' are not), and the logits are exp(logit_scale) times their cosine similarities.
     */
    static Built combinedModel(SyntheticClip.Spec spec, long seed, boolean fp16) {
        Ctx c = new Ctx("model", spec, seed, fp16);
        String ids = c.g.input("input_ids", INT64, "text_batch_size", "sequence_length");
        String pixels = c.floatInput("pixel_values", "image_batch_size", 3, spec.imageSize(), spec.imageSize());
        String mask = c.g.input("attention_mask", INT64, "text_batch_size", "sequence_length");
        Tower t = text(c, ids, mask);
        Tower v = vision(c, pixels);

        String image = normalise(c, v.embeds());
        String text = normalise(c, t.embeds());
        String logitScale = c.w.param("logit_scale", new Weights.Constant((float) LOGIT_SCALE_INIT));
        String scale = c.op("", "Exp", List.of(logitScale));
        String cosine = c.op("", "MatMul", List.of(text, c.op("", "Transpose", List.of(image), attr("perm", 1L, 0L))));
        String perText = c.op("", "Mul", List.of(cosine, scale));
        String perImage = c.op("", "Transpose", List.of(perText), attr("perm", 1L, 0L));
        c.output(perImage, "logits_per_image", "image_batch_size", "text_batch_size");
        c.output(perText, "logits_per_text", "text_batch_size", "image_batch_size");
        c.output(text, "text_embeds", "text_batch_size", spec.projectionDim());
        c.output(image, "image_embeds", "image_batch_size", spec.projectionDim());
        return c.build(spec, seed, "CLIP (CLIPModel): both towers and the image-text logits");
    }

    private static String normalise(Ctx c, String x) {
        String norm = c.op("", "ReduceL2", List.of(x), attr("axes", new long[] {-1}), attr("keepdims", 1L));
        return c.op("", "Div", List.of(x, norm));
    }

    // ---------------------------------------------------------------- towers

    /** A tower's projected (not normalised) embedding and its last hidden state, as value names. */
    private record Tower(String embeds, String lastHidden) {}

    /** CLIPVisionTransformer + visual_projection, on float32 pixels [B, 3, S, S]. */
    private static Tower vision(Ctx c, String pixels) {
        SyntheticClip.Spec s = c.spec;
        int width = s.visionWidth();
        int patch = s.patchSize();
        Mod model = Mod.root("vision_model");
        Mod emb = model.child("embeddings");

        // Patches: a convolution with kernel = stride = patch (no bias), then [B, W, g, g] -> [B, g*g, W].
        Mod patchEmbedding = emb.child("patch_embedding");
        String kernel = c.w.param(patchEmbedding.key() + ".weight", Weights.fanIn(3L * patch * patch),
                width, 3, patch, patch);
        String conv = c.op(patchEmbedding.scope(), "Conv", List.of(pixels, kernel),
                attr("kernel_shape", patch, patch), attr("strides", patch, patch));
        String flat = c.op(emb.scope(), "Reshape", List.of(conv, c.ints("patch_grid_to_sequence", 0, width, -1)));
        String patches = c.op(emb.scope(), "Transpose", List.of(flat), attr("perm", 0L, 2L, 1L));

        // The learned class token [W], broadcast to [B, 1, W] and put in front of the patches.
        String batch = c.op(emb.scope(), "Shape", List.of(pixels), attr("start", 0L), attr("end", 1L));
        String classShape = c.op(emb.scope(), "Concat", List.of(batch, c.ints("class_token_shape", 1, width)),
                attr("axis", 0L));
        String classToken = c.op(emb.scope(), "Expand",
                List.of(c.w.param(emb.key() + ".class_embedding", Weights.WEIGHT, width), classShape));
        String tokens = c.op(emb.scope(), "Concat", List.of(classToken, patches), attr("axis", 1L));
        String x = c.op(emb.scope(), "Add", List.of(tokens,
                c.w.param(emb.key() + ".position_embedding.weight", Weights.WEIGHT, s.visionTokens(), width)));

        x = layerNorm(c, model.child("pre_layrnorm"), x, width);
        Mod encoder = model.child("encoder");
        for (int i = 0; i < s.visionLayers(); i++) {
            x = encoderLayer(c, encoder.child("layers." + i), x, width, s.visionHeads(), null);
        }
        String lastHidden = x;

        // Pooled output: post_layernorm of the class token, then the projection (no bias).
        String first = c.op(model.scope(), "Gather", List.of(lastHidden, c.ints("first_token", 0)),
                attr("axis", 1L));
        String pooled = c.op(model.scope(), "Squeeze", List.of(first, c.ints("axis_1", 1)));
        pooled = layerNorm(c, model.child("post_layernorm"), pooled, width);
        String embeds = linear(c, Mod.root("visual_projection"), pooled, width, s.projectionDim(), false);
        return new Tower(embeds, lastHidden);
    }

    /** CLIPTextTransformer + text_projection, on int64 input_ids and attention_mask [B, T]. */
    private static Tower text(Ctx c, String ids, String mask) {
        SyntheticClip.Spec s = c.spec;
        int width = s.textWidth();
        Mod model = Mod.root("text_model");
        Mod emb = model.child("embeddings");

        // Token embeddings plus the first T rows of the position embeddings.
        String length = c.op(emb.scope(), "Shape", List.of(ids), attr("start", 1L), attr("end", 2L));
        String tokens = c.op(emb.child("token_embedding").scope(), "Gather", List.of(
                c.w.param(emb.key() + ".token_embedding.weight", Weights.WEIGHT, s.vocabSize(), width), ids));
        String positions = c.op(emb.child("position_embedding").scope(), "Slice", List.of(
                c.w.param(emb.key() + ".position_embedding.weight", Weights.WEIGHT, s.contextLength(), width),
                c.ints("zero", 0), length, c.ints("axis_0", 0)));
        String x = c.op(emb.scope(), "Add", List.of(tokens, positions));

        // Additive attention mask [B, 1, T, T]: causal (a token sees itself and what precedes it) plus padding
        // (no token sees a position whose attention_mask is 0), as _create_4d_causal_attention_mask and
        // _prepare_4d_attention_mask build it.
        String square = c.op(model.scope(), "Concat", List.of(length, length), attr("axis", 0L));
        String causal = c.op(model.scope(), "Slice", List.of(causalMask(c, s.contextLength()),
                c.ints("zeros_2", 0, 0), square, c.ints("axes_0_1", 0, 1)));
        String maskF = c.op(model.scope(), "Cast", List.of(mask), attr("to", (long) FLOAT));
        String padding = c.op(model.scope(), "Mul", List.of(
                c.op(model.scope(), "Sub", List.of(c.g.scalar("one", 1f), maskF)),
                c.g.scalar("mask_value", MASK_VALUE)));
        padding = c.op(model.scope(), "Unsqueeze", List.of(padding, c.ints("axes_1_2", 1, 2)));
        String attentionMask = c.op(model.scope(), "Add", List.of(causal, padding));

        Mod encoder = model.child("encoder");
        for (int i = 0; i < s.textLayers(); i++) {
            x = encoderLayer(c, encoder.child("layers." + i), x, width, s.textHeads(), attentionMask);
        }
        String lastHidden = layerNorm(c, model.child("final_layer_norm"), x, width);

        // Pooled output: the hidden state at the end-of-text token, which has the highest id, so HF takes
        // input_ids.to(torch.int).argmax(-1) (first occurrence: padding with the same token does not move it).
        String ids32 = c.op(model.scope(), "Cast", List.of(ids), attr("to", (long) INT32));
        String eot = c.op(model.scope(), "ArgMax", List.of(ids32), attr("axis", -1L), attr("keepdims", 1L));
        String pooled = c.op(model.scope(), "GatherND", List.of(lastHidden, eot), attr("batch_dims", 1L));
        String embeds = linear(c, Mod.root("text_projection"), pooled, width, s.projectionDim(), false);
        return new Tower(embeds, lastHidden);
    }

    /** [n, n]: 0 on and below the diagonal, {@link #MASK_VALUE} above (a constant buffer, stored as float32). */
    private static String causalMask(Ctx c, int n) {
        float[] values = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                values[i * n + j] = MASK_VALUE;
            }
        }
        String name = "causal_mask_" + n;
        if (c.constants.add(name)) {
            c.g.floats(name, new long[] {n, n}, values);
        }
        return name;
    }

    // ---------------------------------------------------------------- layers

    /** CLIPEncoderLayer: pre-norm attention and MLP blocks, each added to the residual stream. */
    private static String encoderLayer(Ctx c, Mod layer, String x, int width, int heads, String mask) {
        String h = layerNorm(c, layer.child("layer_norm1"), x, width);
        h = attention(c, layer.child("self_attn"), h, width, heads, mask);
        x = c.op(layer.scope(), "Add", List.of(x, h));
        h = layerNorm(c, layer.child("layer_norm2"), x, width);
        h = mlp(c, layer.child("mlp"), h, width);
        return c.op(layer.scope(), "Add", List.of(x, h));
    }

    /** CLIPAttention: softmax((q * d^-1/2) kᵀ + mask) v over H heads of size d = W / H, then out_proj. */
    private static String attention(Ctx c, Mod attn, String x, int width, int heads, String mask) {
        int d = width / heads;
        String split = c.ints("split_heads_" + heads + "x" + d, 0, 0, heads, d);
        String scale = c.g.scalar("attention_scale_" + d, (float) (1 / Math.sqrt(d)));
        String q = c.op(attn.scope(), "Mul", List.of(linear(c, attn.child("q_proj"), x, width, width, true), scale));
        String k = linear(c, attn.child("k_proj"), x, width, width, true);
        String v = linear(c, attn.child("v_proj"), x, width, width, true);
        // [B, T, W] -> [B, H, T, d]; keys straight to [B, H, d, T] for the product.
        q = c.op(attn.scope(), "Transpose", List.of(c.op(attn.scope(), "Reshape", List.of(q, split))),
                attr("perm", 0L, 2L, 1L, 3L));
        k = c.op(attn.scope(), "Transpose", List.of(c.op(attn.scope(), "Reshape", List.of(k, split))),
                attr("perm", 0L, 2L, 3L, 1L));
        v = c.op(attn.scope(), "Transpose", List.of(c.op(attn.scope(), "Reshape", List.of(v, split))),
                attr("perm", 0L, 2L, 1L, 3L));
        String scores = c.op(attn.scope(), "MatMul", List.of(q, k));
        if (mask != null) {
            scores = c.op(attn.scope(), "Add", List.of(scores, mask));
        }
        String probs = c.op(attn.scope(), "Softmax", List.of(scores), attr("axis", -1L));
        String context = c.op(attn.scope(), "MatMul", List.of(probs, v));
        context = c.op(attn.scope(), "Transpose", List.of(context), attr("perm", 0L, 2L, 1L, 3L));
        context = c.op(attn.scope(), "Reshape", List.of(context, c.ints("merge_heads_" + width, 0, 0, width)));
        return linear(c, attn.child("out_proj"), context, width, width, true);
    }

    /** CLIPMLP: fc1 (W -> 4W), quick_gelu, fc2 (4W -> W). */
    private static String mlp(Ctx c, Mod mlp, String x, int width) {
        String h = linear(c, mlp.child("fc1"), x, width, 4L * width, true);
        String act = mlp.child("activation_fn").scope();
        String gate = c.op(act, "Sigmoid", List.of(c.op(act, "Mul", List.of(h,
                c.g.scalar("quick_gelu_alpha", QUICK_GELU_ALPHA)))));
        h = c.op(act, "Mul", List.of(h, gate));
        return linear(c, mlp.child("fc2"), h, 4L * width, width, true);
    }

    /** nn.Linear as exported: MatMul by the transposed weight, then Add of the bias. */
    private static String linear(Ctx c, Mod linear, String x, long in, long out, boolean bias) {
        String y = c.op(linear.scope(), "MatMul", List.of(x, c.w.matMulWeight(linear.key() + ".weight", in, out)));
        if (!bias) {
            return y;
        }
        return c.op(linear.scope(), "Add", List.of(c.w.param(linear.key() + ".bias", Weights.WEIGHT, out), y));
    }

    private static String layerNorm(Ctx c, Mod norm, String x, int width) {
        return c.op(norm.scope(), "LayerNormalization", List.of(x,
                        c.w.param(norm.key() + ".weight", Weights.ONES, width),
                        c.w.param(norm.key() + ".bias", Weights.ZEROS, width)),
                attr("axis", -1L), floatAttr("epsilon", (float) LAYER_NORM_EPS));
    }

    /** A float attribute (OnnxGraphBuilder has int, ints and string ones). */
    static OnnxMl.AttributeProto floatAttr(String name, float value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    // ---------------------------------------------------------------- naming and state

    /** A module: its state_dict key prefix and its TorchScript scope. */
    private record Mod(String key, String scope) {
        static Mod root(String name) {
            return new Mod(name, "/" + name);
        }

        Mod child(String name) {
            return new Mod(key + "." + name, scope + "/" + name);
        }
    }

    /** The builder, the parameters and the naming state of one graph. */
    private static final class Ctx {
        final OnnxGraphBuilder g;
        final Weights w;
        final SyntheticClip.Spec spec;
        final boolean fp16;
        final Set<String> constants = new HashSet<>();
        private final Map<String, Integer> uses = new HashMap<>();

        Ctx(String name, SyntheticClip.Spec spec, long seed, boolean fp16) {
            this.g = new OnnxGraphBuilder(name);
            this.w = new Weights(g, seed, fp16);
            this.spec = spec;
            this.fp16 = fp16;
        }

        /** A node named like TorchScript names it: {@code <scope>/<Op>[_k]_output_0}. */
        String op(String scope, String op, List<String> inputs, OnnxMl.AttributeProto... attrs) {
            String base = scope + "/" + op;
            int k = uses.merge(base, 1, Integer::sum) - 1;
            return g.node(op, inputs, base + (k == 0 ? "" : "_" + k) + "_output_0", attrs);
        }

        /** An int64 constant, added once per name. */
        String ints(String name, long... values) {
            return constants.add(name) ? g.longs(name, values) : name;
        }

        /** A float input: float16 in the fp16 variant, cast to float32 for the computation. */
        String floatInput(String name, Object... dims) {
            String in = g.input(name, fp16 ? FLOAT16 : FLOAT, dims);
            return fp16 ? g.node("Cast", List.of(in), name + "_fp32", attr("to", (long) FLOAT)) : in;
        }

        /** A graph output, cast to float16 in the fp16 variant. */
        void output(String value, String name, Object... dims) {
            List<OnnxMl.AttributeProto> attrs = new ArrayList<>();
            if (fp16) {
                attrs.add(attr("to", (long) FLOAT16));
            }
            g.node(fp16 ? "Cast" : "Identity", List.of(value), name, attrs.toArray(OnnxMl.AttributeProto[]::new));
            g.output(name, fp16 ? FLOAT16 : FLOAT, dims);
        }

        Built build(SyntheticClip.Spec spec, long seed, String what) {
            String doc = what + " with random weights, generated by Tessera's SyntheticClip (" + spec.name()
                    + ", seed " + seed + (fp16 ? ", float16" : "")
                    + "): for tests and benchmarks, not a trained model.";
            return new Built(g.build(OPSET, PRODUCER, doc), w.tensors(), w.parameterCount());
        }
    }
}
