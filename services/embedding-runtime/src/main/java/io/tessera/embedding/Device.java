package io.tessera.embedding;

/** Where inference runs. */
public enum Device {
    /** CUDA when the ONNX Runtime build has it and a GPU answers, CPU otherwise. */
    AUTO,
    /** CPU only. */
    CPU,
    /** CUDA asked for explicitly; still falls back to CPU (with a warning) when no GPU is usable. */
    CUDA
}
