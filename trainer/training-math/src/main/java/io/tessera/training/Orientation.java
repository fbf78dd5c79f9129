package io.tessera.training;

/**
 * How a projection matrix is laid out in a row-major {@code float[]}.
 *
 * <p>A tower's projection maps a feature vector {@code f} (length {@code d_in}) to an embedding
 * {@code e = W f / ||W f||} (length {@code d_out}). Exporters store {@code W} either way round, so every
 * API that takes or returns a raw matrix says which one it is.
 */
public enum Orientation {
    /**
     * {@code [d_out, d_in]}: row {@code o} holds the weights of output {@code o}; {@code e = W·f}.
     * This is PyTorch's {@code nn.Linear.weight} (Hugging Face CLIP's {@code text_projection.weight}).
     */
    OUT_BY_IN,
    /**
     * {@code [d_in, d_out]}: row {@code i} holds the weights of input {@code i}; {@code e = f·W}.
     * This is the right operand of an ONNX {@code MatMul(features, W)}, which is how {@code torch.onnx}
     * exports a bias-free {@code nn.Linear} (the initializer is the transposed weight).
     */
    IN_BY_OUT
}
