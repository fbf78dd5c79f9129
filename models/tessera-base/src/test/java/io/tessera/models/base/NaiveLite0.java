package io.tessera.models.base;

import io.tessera.models.base.TorchCheckpoint.Tensor;
import java.util.Map;

/**
 * An independent, deliberately plain forward pass of EfficientNet-Lite0 for one image, straight from the raw
 * checkpoint tensors: nested-loop convolutions accumulated in double, batch norm applied as its own step (not
 * folded), ReLU6, residual adds, average pooling and the classifier. The block table is the published one
 * (efficientnet_lite_builder.py), not what {@link EfficientNetLite0#architecture} derives, and the TensorFlow
 * "SAME" padding is computed here again, so a mistake in the converter cannot cancel itself out.
 */
final class NaiveLite0 {
    /** r(epeats), k(ernel), s(tride), e(xpand ratio), o(utput channels) of the seven stages. */
    static final int[][] STAGES = {
        {1, 3, 1, 1, 16}, {2, 3, 2, 6, 24}, {2, 5, 2, 6, 40}, {3, 3, 2, 6, 80},
        {3, 5, 1, 6, 112}, {4, 5, 2, 6, 192}, {1, 3, 1, 6, 320},
    };
    private static final double EPS = 1e-3;

    record Output(float[] features, float[] logits) {}

    /** A feature map C x H x W. */
    private record FMap(int c, int h, int w, double[] v) {}

    private final Map<String, Tensor> sd;

    NaiveLite0(Map<String, Tensor> sd) {
        this.sd = sd;
    }

    Output forward(float[] chw, int size) {
        double[] in = new double[chw.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = chw[i];
        }
        FMap x = new FMap(3, size, size, in);
        x = relu6(bn(conv(x, "_conv_stem.weight", 2, 1), "_bn0"));
        int block = 0;
        for (int[] st : STAGES) {
            for (int r = 0; r < st[0]; r++) {
                int stride = r == 0 ? st[2] : 1;
                String p = "_blocks." + block + ".";
                FMap y = x;
                if (st[3] != 1) {
                    y = relu6(bn(conv(y, p + "_expand_conv.weight", 1, 1), p + "_bn0"));
                }
                y = relu6(bn(conv(y, p + "_depthwise_conv.weight", stride, y.c()), p + "_bn1"));
                y = bn(conv(y, p + "_project_conv.weight", 1, 1), p + "_bn2");
                if (stride == 1 && x.c() == y.c()) {
                    double[] sum = new double[y.v().length];
                    for (int i = 0; i < sum.length; i++) {
                        sum[i] = y.v()[i] + x.v()[i];
                    }
                    y = new FMap(y.c(), y.h(), y.w(), sum);
                }
                x = y;
                block++;
            }
        }
        x = relu6(bn(conv(x, "_conv_head.weight", 1, 1), "_bn1"));
        int plane = x.h() * x.w();
        double[] pooled = new double[x.c()];
        float[] features = new float[x.c()];
        for (int c = 0; c < x.c(); c++) {
            double s = 0;
            for (int i = 0; i < plane; i++) {
                s += x.v()[c * plane + i];
            }
            pooled[c] = s / plane;
            features[c] = (float) pooled[c];
        }
        Tensor fcW = sd.get("_fc.weight");
        float[] w = fcW.floats();
        float[] b = sd.get("_fc.bias").floats();
        int classes = fcW.dim(0);
        float[] logits = new float[classes];
        for (int o = 0; o < classes; o++) {
            double s = b[o];
            for (int i = 0; i < pooled.length; i++) {
                s += w[o * pooled.length + i] * pooled[i];
            }
            logits[o] = (float) s;
        }
        return new Output(features, logits);
    }

    /** Convolution without bias, TensorFlow "SAME" padding (the odd padding pixel after). */
    private FMap conv(FMap x, String key, int stride, int groups) {
        Tensor wt = sd.get(key);
        float[] w = wt.floats();
        int outC = wt.dim(0);
        int inPerGroup = wt.dim(1);
        int k = wt.dim(2);
        int outH = (x.h() + stride - 1) / stride;
        int outW = (x.w() + stride - 1) / stride;
        int padTop = Math.max((outH - 1) * stride + k - x.h(), 0) / 2;
        int padLeft = Math.max((outW - 1) * stride + k - x.w(), 0) / 2;
        int outPerGroup = outC / groups;
        double[] out = new double[outC * outH * outW];
        for (int o = 0; o < outC; o++) {
            int g = o / outPerGroup;
            int base = o * outH * outW;
            for (int ic = 0; ic < inPerGroup; ic++) {
                int c = g * inPerGroup + ic;
                for (int kh = 0; kh < k; kh++) {
                    for (int kw = 0; kw < k; kw++) {
                        double wv = w[((o * inPerGroup + ic) * k + kh) * k + kw];
                        for (int oy = 0; oy < outH; oy++) {
                            int iy = oy * stride - padTop + kh;
                            if (iy < 0 || iy >= x.h()) {
                                continue;
                            }
                            int row = (c * x.h() + iy) * x.w();
                            for (int ox = 0; ox < outW; ox++) {
                                int ix = ox * stride - padLeft + kw;
                                if (ix >= 0 && ix < x.w()) {
                                    out[base + oy * outW + ox] += wv * x.v()[row + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new FMap(outC, outH, outW, out);
    }

    /** Inference batch norm: (x - mean) / sqrt(var + eps) * gamma + beta. */
    private FMap bn(FMap x, String prefix) {
        float[] gamma = sd.get(prefix + ".weight").floats();
        float[] beta = sd.get(prefix + ".bias").floats();
        float[] mean = sd.get(prefix + ".running_mean").floats();
        float[] var = sd.get(prefix + ".running_var").floats();
        int plane = x.h() * x.w();
        double[] out = new double[x.v().length];
        for (int c = 0; c < x.c(); c++) {
            double sd = Math.sqrt(var[c] + EPS);
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = (x.v()[c * plane + i] - mean[c]) / sd * gamma[c] + beta[c];
            }
        }
        return new FMap(x.c(), x.h(), x.w(), out);
    }

    private static FMap relu6(FMap x) {
        double[] out = new double[x.v().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(6, Math.max(0, x.v()[i]));
        }
        return new FMap(x.c(), x.h(), x.w(), out);
    }
}
