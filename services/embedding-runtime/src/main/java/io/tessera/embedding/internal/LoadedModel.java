package io.tessera.embedding.internal;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.EmbeddingException;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.Tower;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelManifest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One model version, loaded: an ONNX Runtime session per tower, the tokenizer and the image preprocessing.
 * Reference-counted so a swap can retire it while calls are still running on it: the owner holds one reference,
 * every call takes one ({@link #tryAcquire}) and gives it back ({@link #release}); the sessions close when the
 * count reaches zero.
 */
public final class LoadedModel {
    private final ModelDirectory directory;
    private final OrtSession imageSession;
    private final OrtSession textSession;
    private final String provider;
    private final ImagePreprocessor preprocessor;
    private final TextEncoder encoder;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Reused direct input buffers, per thread (batch threads and direct callers). */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        FloatBuffer floats = FloatBuffer.allocate(0);
        LongBuffer ids = LongBuffer.allocate(0);
        LongBuffer mask = LongBuffer.allocate(0);

        FloatBuffer floats(int n) {
            if (floats.capacity() < n) {
                floats = ByteBuffer.allocateDirect(n * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
            }
            return floats.duplicate().position(0).limit(n);
        }

        LongBuffer ids(int n) {
            if (ids.capacity() < n) {
                ids = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            }
            return ids.duplicate().position(0).limit(n);
        }

        LongBuffer mask(int n) {
            if (mask.capacity() < n) {
                mask = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            }
            return mask.duplicate().position(0).limit(n);
        }
    }

    private LoadedModel(ModelDirectory directory, OrtSession imageSession, OrtSession textSession, String provider,
            ImagePreprocessor preprocessor, TextEncoder encoder) {
        this.directory = directory;
        this.imageSession = imageSession;
        this.textSession = textSession;
        this.provider = provider;
        this.preprocessor = preprocessor;
        this.encoder = encoder;
    }

    /**
     * Opens sessions for the towers of a checked model directory and, when configured, runs each once.
     *
     * @throws ModelLoadException when ONNX Runtime or the tokenizer rejects the files
     */
    public static LoadedModel load(ModelDirectory dir, RuntimeConfig config, int warmBatch) {
        ModelManifest m = dir.manifest();
        OrtSession image = null;
        OrtSession text = null;
        TextEncoder encoder = null;
        String provider = "CPU";
        try {
            if (m.image() != null) {
                OrtRuntime.Options o = OrtRuntime.sessionOptions(config);
                provider = o.provider();
                image = createSession(dir, m.image().file(), o);
            }
            if (m.text() != null) {
                OrtRuntime.Options o = OrtRuntime.sessionOptions(config);
                provider = o.provider();
                text = createSession(dir, m.text().file(), o);
                try {
                    encoder = TextEncoder.open(dir.file(m.text().tokenizer()), m.text().maxLength(),
                            m.text().padToMaxLength());
                } catch (IOException | RuntimeException e) {
                    throw new ModelLoadException("model " + dir + ": the tokenizer " + m.text().tokenizer()
                            + " cannot be loaded: " + e.getMessage(), e);
                }
            }
            ImagePreprocessor pre = m.image() == null ? null
                    : new ImagePreprocessor(m.image().imageSize(), m.image().mean(), m.image().std());
            LoadedModel loaded = new LoadedModel(dir, image, text, provider, pre, encoder);
            if (config.warmUp()) {
                loaded.warmUp(Math.max(1, warmBatch));
            }
            return loaded;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(image);
            closeQuietly(text);
            if (encoder != null) {
                encoder.close();
            }
            if (e instanceof ModelLoadException mle) {
                throw mle;
            }
            throw new ModelLoadException("model " + dir + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(ModelDirectory dir, String file, OrtRuntime.Options o) {
        try {
            return OrtRuntime.environment().createSession(dir.file(file).toString(), o.options());
        } catch (OrtException e) {
            throw new ModelLoadException("model " + dir + ": ONNX Runtime rejects " + file + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // Closing after a failed load: nothing useful to add to the load error.
            }
        }
    }

    private void warmUp(int batch) {
        if (imageSession != null) {
            int s = preprocessor.size();
            BufferedImage grey = new BufferedImage(s, s, BufferedImage.TYPE_3BYTE_BGR);
            runImage(Collections.nCopies(1, ImageInput.of(grey)), Set.of(directory.manifest().image().output()));
            if (batch > 1) {
                runImage(Collections.nCopies(batch, ImageInput.of(grey)),
                        Set.of(directory.manifest().image().output()));
            }
        }
        if (textSession != null) {
            runText(List.of("warm up"), Set.of(directory.manifest().text().output()));
            if (batch > 1) {
                runText(Collections.nCopies(batch, "warm up the text tower"),
                        Set.of(directory.manifest().text().output()));
            }
        }
    }

    public ModelDirectory directory() {
        return directory;
    }

    public ModelManifest manifest() {
        return directory.manifest();
    }

    public String provider() {
        return provider;
    }

    public int imageSize() {
        return preprocessor == null ? 0 : preprocessor.size();
    }

    public boolean tryAcquire() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    public void release() {
        if (refs.decrementAndGet() == 0) {
            closeQuietly(imageSession);
            closeQuietly(textSession);
            if (encoder != null) {
                encoder.close();
            }
        }
    }

    public boolean isClosed() {
        return refs.get() == 0;
    }

    /** Embeddings of a batch, L2-normalised here too (real CLIP exports do not normalise their outputs). */
    public float[][] embed(Tower tower, List<?> inputs) {
        String out = tower == Tower.IMAGE ? requireImage().output() : requireText().output();
        float[][] rows = run(tower, inputs, Set.of(out)).get(out);
        for (float[] row : rows) {
            normalise(row);
        }
        return rows;
    }

    /** The features entering each trainable projection of a tower, by initializer name. */
    public Map<String, float[][]> projectionFeatures(Tower tower, List<?> inputs) {
        List<ModelManifest.Projection> projections = tower == Tower.IMAGE
                ? requireImage().projections() : requireText().projections();
        if (projections.isEmpty()) {
            throw new EmbeddingException("model " + directory.ref() + " declares no trainable projection for the "
                    + tower.label() + " tower", false);
        }
        Set<String> outputs = new LinkedHashSet<>();
        projections.forEach(p -> outputs.add(p.featuresOutput()));
        Map<String, float[][]> byOutput = run(tower, inputs, outputs);
        Map<String, float[][]> out = new HashMap<>();
        projections.forEach(p -> out.put(p.initializer(), byOutput.get(p.featuresOutput())));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, float[][]> run(Tower tower, List<?> inputs, Set<String> outputs) {
        return tower == Tower.IMAGE ? runImage((List<ImageInput>) inputs, outputs)
                : runText((List<String>) inputs, outputs);
    }

    private ModelManifest.ImageTower requireImage() {
        if (imageSession == null) {
            throw new EmbeddingException("model " + directory.ref() + " has no image tower", false);
        }
        return directory.manifest().image();
    }

    private ModelManifest.TextTower requireText() {
        if (textSession == null) {
            throw new EmbeddingException("model " + directory.ref() + " has no text tower", false);
        }
        return directory.manifest().text();
    }

    /** Runs the image tower on a batch; each image is preprocessed straight into a reused direct buffer. */
    public Map<String, float[][]> runImage(List<ImageInput> images, Set<String> outputs) {
        ModelManifest.ImageTower t = requireImage();
        int n = images.size();
        int s = preprocessor.size();
        FloatBuffer pixels = BUFFERS.get().floats(n * preprocessor.floatsPerImage());
        for (int i = 0; i < n; i++) {
            preprocessor.write(images.get(i), pixels, i);
        }
        OrtEnvironment env = OrtRuntime.environment();
        try (OnnxTensor input = OnnxTensor.createTensor(env, pixels, new long[] {n, 3, s, s})) {
            return collect(imageSession.run(Map.of(t.input(), input), outputs), outputs, n);
        } catch (OrtException e) {
            throw new EmbeddingException("image tower of " + directory.ref() + " failed on a batch of " + n + ": "
                    + e.getMessage(), false, e);
        }
    }

    /** Runs the text tower on texts that already carry their instruction. */
    public Map<String, float[][]> runText(List<String> texts, Set<String> outputs) {
        ModelManifest.TextTower t = requireText();
        TextEncoder.Batch b = encoder.encode(texts);
        Buffers buffers = BUFFERS.get();
        LongBuffer ids = buffers.ids(b.n() * b.length());
        b.writeIds(ids);
        long[] shape = {b.n(), b.length()};
        OrtEnvironment env = OrtRuntime.environment();
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, shape)) {
            if (t.attentionMask() == null) {
                return collect(textSession.run(Map.of(t.inputIds(), idTensor), outputs), outputs, b.n());
            }
            LongBuffer mask = buffers.mask(b.n() * b.length());
            b.writeMask(mask);
            try (OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape)) {
                return collect(textSession.run(Map.of(t.inputIds(), idTensor, t.attentionMask(), maskTensor),
                        outputs), outputs, b.n());
            }
        } catch (OrtException e) {
            throw new EmbeddingException("text tower of " + directory.ref() + " failed on a batch of " + b.n() + ": "
                    + e.getMessage(), false, e);
        }
    }

    private static Map<String, float[][]> collect(OrtSession.Result result, Set<String> outputs, int n)
            throws OrtException {
        try (result) {
            Map<String, float[][]> out = new HashMap<>();
            for (String name : outputs) {
                OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                OnnxTensor t = (OnnxTensor) v;
                long[] shape = t.getInfo().getShape();
                int width = (int) (shape.length == 2 ? shape[1] : t.getInfo().getNumElements() / n);
                FloatBuffer fb = t.getFloatBuffer();
                float[][] rows = new float[n][width];
                for (int i = 0; i < n; i++) {
                    fb.get(i * width, rows[i]);
                }
                out.put(name, rows);
            }
            return out;
        }
    }

    static void normalise(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double n = Math.sqrt(s);
        if (n > 1e-12) {
            float inv = (float) (1.0 / n);
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
    }

    /** For logs: the model and where it runs. */
    @Override
    public String toString() {
        return directory.ref() + " on " + provider;
    }
}
