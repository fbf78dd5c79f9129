package io.tessera.embedding;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tessera.embedding.batch.DynamicBatcher;
import io.tessera.embedding.internal.LoadedModel;
import io.tessera.embedding.internal.OfflineNatives;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ModelRef;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedding engine of a process: a loaded model version (one ONNX Runtime session per tower in the process's
 * one environment), one dynamic batcher per tower shared by every caller, hot swapping of model versions, and,
 * for the trainer, the features entering the trainable projections. Create one per process and share it.
 *
 * <p>Calls go either through the batchers ({@link #embedImage}, {@link #embedText}: single items from any thread,
 * grouped into batches) or straight to the sessions ({@link #embedImages}, {@link #embedTexts}: callers that
 * already hold a batch). Either way a call runs entirely on one model version, reported with its vectors.
 *
 * <p>{@link #swap} loads and warms the new version while the old one keeps serving, then switches; calls in
 * flight finish on the old version, whose sessions close when the last of them returns.
 */
public final class EmbeddingRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingRuntime.class);

    static {
        OfflineNatives.configure();
    }

    private final RuntimeConfig config;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final DynamicBatcher<ImageInput, Embedding> imageBatcher;
    private final DynamicBatcher<TextInput, Embedding> textBatcher;
    private volatile boolean closed;

    private EmbeddingRuntime(LoadedModel model, RuntimeConfig config, MeterRegistry registry) {
        this.config = config;
        this.current.set(model);
        this.imageBatcher = new DynamicBatcher<>("image", config.imageBatching(),
                batch -> embedBatch(Tower.IMAGE, batch), registry);
        this.textBatcher = new DynamicBatcher<>("text", config.textBatching(),
                batch -> embedBatch(Tower.TEXT, batch), registry);
    }

    /** Loads (and warms) a checked model directory; metrics go to the given registry. */
    public static EmbeddingRuntime start(ModelDirectory model, RuntimeConfig config, MeterRegistry registry) {
        LoadedModel loaded = LoadedModel.load(model, config, warmBatch(config));
        LOG.info("embedding runtime serving {}", loaded);
        return new EmbeddingRuntime(loaded, config, registry);
    }

    public static EmbeddingRuntime start(ModelDirectory model, RuntimeConfig config) {
        return start(model, config, new SimpleMeterRegistry());
    }

    private static int warmBatch(RuntimeConfig c) {
        return Math.max(c.imageBatching().maxBatchSize(), c.textBatching().maxBatchSize());
    }

    /** The version of the ONNX Runtime this process runs (for provenance records of models built with it). */
    public static String onnxRuntimeVersion() {
        return io.tessera.embedding.internal.OrtRuntime.environment().getVersion();
    }

    public RuntimeConfig config() {
        return config;
    }

    /** The model version new calls run on. */
    public ModelRef model() {
        return current.get().directory().ref();
    }

    public ModelManifest manifest() {
        return current.get().manifest();
    }

    /** "CUDA" or "CPU": the execution provider of the current model's sessions. */
    public String executionProvider() {
        return current.get().provider();
    }

    /** Side of the square the image tower takes (callers that can decode straight to it skip a resize). */
    public int imageSize() {
        return current.get().imageSize();
    }

    /**
     * The short side pictures are resized to before the model's centre crop (CLIP: the crop size; ImageNet CNNs:
     * 256 for 224): decoders that can scale while decoding should aim at this, not at {@link #imageSize}.
     */
    public int inputShortSide() {
        ModelManifest m = manifest();
        return m.image() == null ? 0 : m.image().resizeShortestEdge();
    }

    // ------------------------------------------------------------------ batched calls

    /** Queues one image for the shared image batcher. See {@link DynamicBatcher#submit} for back-pressure. */
    public CompletableFuture<Embedding> embedImage(ImageInput image) {
        return imageBatcher.submit(image);
    }

    /** Queues one text for the shared text batcher. */
    public CompletableFuture<Embedding> embedText(TextInput text) {
        return textBatcher.submit(text);
    }

    public CompletableFuture<Embedding> embedText(String text, String task) {
        return embedText(TextInput.of(text, task));
    }

    @SuppressWarnings("unchecked")
    private List<Embedding> embedBatch(Tower tower, List<?> items) {
        LoadedModel m = acquire();
        try {
            List<?> inputs = tower == Tower.TEXT ? instructed(m.manifest(), (List<TextInput>) items) : items;
            float[][] vectors = m.embed(tower, inputs);
            ModelRef ref = m.directory().ref();
            List<Embedding> out = new ArrayList<>(vectors.length);
            for (float[] v : vectors) {
                out.add(new Embedding(ref, v));
            }
            return out;
        } finally {
            m.release();
        }
    }

    // ------------------------------------------------------------------ direct calls

    /** Embeds a batch the caller already formed, on the calling thread. */
    public List<Embedding> embedImages(List<ImageInput> images) {
        return embedBatch(Tower.IMAGE, images);
    }

    public List<Embedding> embedTexts(List<TextInput> texts) {
        return embedBatch(Tower.TEXT, texts);
    }

    /** For the trainer: the features entering each trainable projection of the image tower. */
    public ProjectionFeatures imageFeatures(List<ImageInput> images) {
        LoadedModel m = acquire();
        try {
            return new ProjectionFeatures(m.directory().ref(), Tower.IMAGE, m.projectionFeatures(Tower.IMAGE, images));
        } finally {
            m.release();
        }
    }

    /** For the trainer: the features entering each trainable projection of the text tower (instructions applied). */
    public ProjectionFeatures textFeatures(List<TextInput> texts) {
        LoadedModel m = acquire();
        try {
            return new ProjectionFeatures(m.directory().ref(), Tower.TEXT,
                    m.projectionFeatures(Tower.TEXT, instructed(m.manifest(), texts)));
        } finally {
            m.release();
        }
    }

    /** The exact strings the text tower sees for these inputs under the current model's instruction templates. */
    public List<String> instructedTexts(List<TextInput> texts) {
        return instructed(manifest(), texts);
    }

    private static List<String> instructed(ModelManifest manifest, List<TextInput> texts) {
        List<String> out = new ArrayList<>(texts.size());
        for (TextInput t : texts) {
            ModelManifest.Instruction ins = manifest.instruction(t.task());
            if (t.instruction() != null) {
                ins = new ModelManifest.Instruction(ins.system(), t.instruction(), ins.image());
            }
            out.add(ins.applyToText(t.text()));
        }
        return out;
    }

    // ------------------------------------------------------------------ model swap

    /**
     * Loads and warms {@code next}, then makes it the version new calls run on. Calls already running finish on the
     * previous version, which is closed when its last call returns. On failure the current version stays.
     *
     * @return the version that was replaced
     */
    public synchronized ModelRef swap(ModelDirectory next) {
        if (closed) {
            throw new EmbeddingException("embedding runtime is closed", false);
        }
        LoadedModel loaded = LoadedModel.load(next, config, warmBatch(config));
        LoadedModel old = current.getAndSet(loaded);
        ModelManifest was = old.manifest();
        if (was.dimension() != loaded.manifest().dimension()) {
            LOG.warn("model swap {} -> {} changes the embedding dimension {} -> {}",
                    was.ref(), loaded.manifest().ref(), was.dimension(), loaded.manifest().dimension());
        }
        LOG.info("embedding runtime swapped {} -> {}", was.ref(), loaded);
        old.release();
        return was.ref();
    }

    private LoadedModel acquire() {
        while (true) {
            LoadedModel m = current.get();
            if (m.tryAcquire()) {
                return m;
            }
            if (closed) {
                throw new EmbeddingException("embedding runtime is closed", false);
            }
            // m was retired between get() and tryAcquire(): current already points at its successor.
            Thread.onSpinWait();
        }
    }

    /** Drains the batchers, then closes the model once its last call returns. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        imageBatcher.close();
        textBatcher.close();
        closed = true;
        current.get().release();
    }
}
