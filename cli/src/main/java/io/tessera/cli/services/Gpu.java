package io.tessera.cli.services;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether this machine has a usable NVIDIA GPU, decided the way the driver itself reports it: {@code nvidia-smi -L}
 * runs and lists at least one GPU. {@code TESSERA_GPU=off} forces CPU, {@code on} forces the CUDA build (its
 * runtime falls back to CPU, with the reason in the log, if CUDA then does not start).
 *
 * @param usable whether the services should be built with ONNX Runtime's CUDA provider
 * @param why    one line for the console: what was found or why not
 */
public record Gpu(boolean usable, String why) {

    public static Gpu detect() {
        String setting = System.getenv().getOrDefault("TESSERA_GPU", "auto").strip().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "off", "false", "0", "cpu" -> new Gpu(false, "TESSERA_GPU=" + setting);
            case "on", "true", "1", "cuda" -> new Gpu(true, "TESSERA_GPU=" + setting);
            default -> probe();
        };
    }

    private static Gpu probe() {
        Process p;
        try {
            p = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Gpu(false, "no NVIDIA driver (nvidia-smi not found)");
        }
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Gpu(false, "nvidia-smi did not answer within 10 s");
            }
            List<String> gpus = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("GPU ")).toList();
            if (p.exitValue() != 0 || gpus.isEmpty()) {
                return new Gpu(false, "nvidia-smi lists no usable GPU (exit " + p.exitValue() + ")");
            }
            return new Gpu(true, gpus.get(0) + (gpus.size() > 1 ? " (+" + (gpus.size() - 1) + " more)" : ""));
        } catch (IOException e) {
            return new Gpu(false, "nvidia-smi failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Gpu(false, "interrupted while asking nvidia-smi");
        }
    }

    /** The build flavour the services need: {@code cuda} (onnxruntime_gpu, {@code -Pcuda}) or {@code cpu}. */
    public String flavour() {
        return usable ? "cuda" : "cpu";
    }

    /** The console line {@code services up} and the demo print. */
    public String describe() {
        return usable ? "GPU: " + why + " -> services built with ONNX Runtime's CUDA provider (onnxruntime_gpu)"
                : "GPU: none usable (" + why + ") -> ONNX Runtime on CPU";
    }
}
