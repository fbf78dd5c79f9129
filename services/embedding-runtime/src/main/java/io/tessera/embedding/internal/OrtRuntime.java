package io.tessera.embedding.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.Device;
import io.tessera.embedding.RuntimeConfig;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The process's one ONNX Runtime environment (telemetry off) and the choice of execution provider, made once per
 * device setting and logged once: CUDA when asked for (or AUTO) and usable, CPU otherwise. A failing CUDA provider
 * (no GPU, no driver, the CPU-only jar) never fails the caller; the session runs on CPU.
 */
public final class OrtRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);
    private static volatile OrtEnvironment environment;
    /** Per CUDA device id: whether adding the CUDA provider worked the first time it was tried. */
    private static final ConcurrentHashMap<Integer, Boolean> CUDA_USABLE = new ConcurrentHashMap<>();
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    /** The session config key that switches busy-waiting of the intra-op pool threads on ("1") or off ("0"). */
    public static final String INTRA_OP_ALLOW_SPINNING = "session.intra_op.allow_spinning";

    private OrtRuntime() {}

    public static OrtEnvironment environment() {
        OrtEnvironment env = environment;
        if (env == null) {
            synchronized (OrtRuntime.class) {
                env = environment;
                if (env == null) {
                    OfflineNatives.configure();
                    env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "tessera");
                    try {
                        env.setTelemetry(false);
                    } catch (OrtException e) {
                        LOG.warn("could not switch off ONNX Runtime telemetry: {}", e.getMessage());
                    }
                    environment = env;
                }
            }
        }
        return env;
    }

    /** Whether this ONNX Runtime build has the CUDA provider at all (onnxruntime_gpu, the -Pcuda build). */
    public static boolean cudaCompiledIn() {
        environment();
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    /**
     * Session options for the config, with the CUDA provider added when it should and can be.
     *
     * @return the options and the provider name actually used ("CUDA" or "CPU")
     */
    public static Options sessionOptions(RuntimeConfig config) throws OrtException {
        environment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        if (config.intraOpThreads() > 0) {
            options.setIntraOpNumThreads(config.intraOpThreads());
        }
        if (config.interOpThreads() > 0) {
            options.setInterOpNumThreads(config.interOpThreads());
        }
        if (!config.intraOpSpinning()) {
            // Pool threads sleep between parallel sections instead of busy-waiting: the cores they would burn go
            // to decoding, the broker, Milvus... (see RuntimeConfig#intraOpSpinning).
            options.addConfigEntry(INTRA_OP_ALLOW_SPINNING, "0");
        }
        String provider = "CPU";
        String why;
        if (config.device() == Device.CPU) {
            why = "configured device is CPU";
        } else if (!cudaCompiledIn()) {
            why = "this ONNX Runtime build has no CUDA provider (the CPU-only jar; ./tessera services up builds with onnxruntime_gpu when nvidia-smi lists a GPU, or -Pcuda)";
        } else if (Boolean.FALSE.equals(CUDA_USABLE.get(config.cudaDeviceId()))) {
            why = "the CUDA provider failed earlier in this process";
        } else {
            try {
                options.addCUDA(config.cudaDeviceId());
                CUDA_USABLE.put(config.cudaDeviceId(), true);
                provider = "CUDA";
                why = "GPU " + config.cudaDeviceId();
            } catch (OrtException | RuntimeException e) {
                CUDA_USABLE.put(config.cudaDeviceId(), false);
                why = "the CUDA provider could not start (" + e.getMessage() + ")";
            }
        }
        if (LOGGED.compareAndSet(false, true)) {
            Level level = config.device() == Device.CUDA && provider.equals("CPU") ? Level.WARN : Level.INFO;
            LOG.atLevel(level).log("ONNX Runtime {}: execution provider {} ({}; device setting {})",
                    environment().getVersion(), provider, why, config.device());
        }
        return new Options(options, provider, why);
    }

    /** @param why the reason for the provider, for the log line of each tower */
    public record Options(OrtSession.SessionOptions options, String provider, String why) {}
}
