package io.tessera.embedding.internal;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tessera.embedding.EmbeddingException;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.Tower;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.model.ModelLoadException;
import io.tessera.embedding.model.ModelManifest;
import io.tessera.embedding.model.ProjectionHead;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version, loaded: an ONNX Runtime session per tower, the tokenizer and the image preprocessing.
 * Reference-counted so a swap can retire it while calls are still running on it: the owner holds one reference,
 * every call takes one ({@link #tryAcquire}) and gives it back ({@link #release}); the sessions close when the
 * count reaches zero.
 */
public final class LoadedModel {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedModel.class);
    private final ModelDirectory directory;
    private final OrtSession imageSession;
    private final OrtSession textSession;
    private final String provider;
    private final ImagePreprocessor preprocessor;
    private final TextEncoder encoder;
    /** Projection heads outside the graph, or null for towers without one. */
    private final ProjectionHead imageHead;
    private final ProjectionHead textHead;
    /** Whether the graph takes float16 pixels (an fp16 export) rather than float32. */
    private final boolean imageInputFp16;
    private final AtomicInteger refs = new AtomicInteger(1);

    /** Reused direct input buffers, per thread (batch threads and direct callers). */
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static final class Buffers {
        FloatBuffer floats = FloatBuffer.allocate(0);
        LongBuffer ids = LongBuffer.allocate(0);
        LongBuffer mask = LongBuffer.allocate(0);
        LongBuffer zeros = LongBuffer.allocate(0);
        ShortBuffer halfs = ShortBuffer.allocate(0);

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

        /** All zeros: BERT's token_type_ids for single-segment input. */
        LongBuffer zeros(int n) {
            if (zeros.capacity() < n) {
                zeros = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            }
            return zeros.duplicate().position(0).limit(n);
        }

        ShortBuffer halfs(int n) {
            if (halfs.capacity() < n) {
                halfs = ByteBuffer.allocateDirect(n * Short.BYTES).order(ByteOrder.nativeOrder()).asShortBuffer();
            }
            return halfs.duplicate().position(0).limit(n);
        }

        LongBuffer mask(int n) {
            if (mask.capacity() < n) {
                mask = ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
            }
            return mask.duplicate().position(0).limit(n);
        }
    }

    private LoadedModel(ModelDirectory directory, OrtSession imageSession, OrtSession textSession, String provider,
            ImagePreprocessor preprocessor, TextEncoder encoder, ProjectionHead imageHead, ProjectionHead textHead,
            boolean imageInputFp16) {
        this.directory = directory;
        this.imageSession = imageSession;
        this.textSession = textSession;
        this.provider = provider;
        this.preprocessor = preprocessor;
        this.encoder = encoder;
        this.imageHead = imageHead;
        this.textHead = textHead;
        this.imageInputFp16 = imageInputFp16;
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
                LOG.info("{}: image tower on {} ({}; {} intra-op threads, spinning {})",
                        m.ref(), o.provider(), o.why(), threads(config), config.intraOpSpinning() ? "on" : "off");
            }
            if (m.text() != null) {
                OrtRuntime.Options o = OrtRuntime.sessionOptions(config);
                provider = o.provider();
                text = createSession(dir, m.text().file(), o);
                LOG.info("{}: text tower on {} ({}; {} intra-op threads, spinning {})",
                        m.ref(), o.provider(), o.why(), threads(config), config.intraOpSpinning() ? "on" : "off");
                try {
                    encoder = TextEncoder.open(dir.file(m.text().tokenizer()), m.text().maxLength(),
                            m.text().padToMaxLength());
                } catch (IOException | RuntimeException e) {
                    throw new ModelLoadException("model " + dir + ": the tokenizer " + m.text().tokenizer()
                            + " cannot be loaded: " + e.getMessage(), e);
                }
            }
            ImagePreprocessor pre = m.image() == null ? null : new ImagePreprocessor(m.image());
            boolean fp16 = false;
            if (image != null) {
                fp16 = checkSignature(dir, "image", image, m.image().input(), m.image().output(),
                        m.image().poolingMode(), m.image().head() != null);
            }
            if (text != null) {
                checkSignature(dir, "text", text, m.text().inputIds(), m.text().output(), m.text().poolingMode(),
                        m.text().head() != null);
            }
            ProjectionHead imageHead = m.image() == null ? null : head(dir, m.image().head());
            ProjectionHead textHead = m.text() == null ? null : head(dir, m.text().head());
            LoadedModel loaded = new LoadedModel(dir, image, text, provider, pre, encoder, imageHead, textHead, fp16);
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

    private static Object threads(RuntimeConfig config) {
        return config.intraOpThreads() == 0 ? "default" : config.intraOpThreads();
    }

    private static ProjectionHead head(ModelDirectory dir, ModelManifest.Head head) {
        if (head == null) {
            return null;
        }
        try {
            return ProjectionHead.read(dir.file(head.file()));
        } catch (IOException e) {
            throw new ModelLoadException("model " + dir + ": head " + head.file() + " cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Checks what the manifest says about a tower against the session: the output's rank fits the pooling, and the
     * vector that comes out has the model's dimension (or the head's input dimension). Returns whether the input
     * is float16.
     */
    private static boolean checkSignature(ModelDirectory dir, String tower, OrtSession session, String input,
            String output, ModelManifest.Pooling pooling, boolean hasHead) throws OrtException {
        NodeInfo in = session.getInputInfo().get(input);
        NodeInfo out = session.getOutputInfo().get(output);
        if (in == null || out == null) {
            throw new ModelLoadException("model " + dir + ": the " + tower + " graph has no " + (in == null
                    ? "input '" + input + "' (inputs: " + session.getInputNames() + ")"
                    : "output '" + output + "' (outputs: " + session.getOutputNames() + ")"));
        }
        if (!(out.getInfo() instanceof TensorInfo ti)) {
            throw new ModelLoadException("model " + dir + ": " + tower + " output '" + output + "' is not a tensor");
        }
        long[] shape = ti.getShape();
        int rank = shape.length;
        if (pooling == ModelManifest.Pooling.NONE && rank != 2) {
            throw new ModelLoadException("model " + dir + ": " + tower + " output '" + output + "' has rank " + rank
                    + " " + Arrays.toString(shape) + "; a per-token output needs " + tower
                    + ".pooling (mean, cls or last)");
        }
        if (pooling != ModelManifest.Pooling.NONE && rank != 3) {
            throw new ModelLoadException("model " + dir + ": " + tower + ".pooling " + pooling + " needs an output of"
                    + " rank 3 [batch, tokens, hidden], '" + output + "' has rank " + rank);
        }
        long width = shape[rank - 1];
        int dimension = dir.manifest().dimension();
        if (!hasHead && width > 0 && width != dimension) {
            throw new ModelLoadException("model " + dir + ": the " + tower + " tower yields " + width
                    + " dimensions but the model's dimension is " + dimension + "; add a head that maps it");
        }
        if (hasHead) {
            ModelManifest.Head h = tower.equals("image") ? dir.manifest().image().head() : dir.manifest().text().head();
            ProjectionHead head = head(dir, h);
            if (width > 0 && width != head.inputDimension()) {
                throw new ModelLoadException("model " + dir + ": the " + tower + " tower yields " + width
                        + " dimensions but its head " + h.file() + " takes " + head.inputDimension());
            }
        }
        return in.getInfo() instanceof TensorInfo it && it.type == OnnxJavaType.FLOAT16;
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

    /**
     * Embeddings of a batch: the tower's output, pooled as the manifest says, through the head when there is one,
     * L2-normalised unless the manifest switches it off (real CLIP exports do not normalise their outputs).
     */
    public float[][] embed(Tower tower, List<?> inputs) {
        float[][] rows = pooled(tower, inputs);
        ProjectionHead head = tower == Tower.IMAGE ? imageHead : textHead;
        if (head != null) {
            rows = head.apply(rows);
        }
        boolean normalise = tower == Tower.IMAGE ? requireImage().normalizes() : requireText().normalizes();
        if (normalise) {
            for (float[] row : rows) {
                normalise(row);
            }
        }
        return rows;
    }

    /** The tower's output, one vector per input (pooled over tokens when the manifest says so), before any head. */
    private float[][] pooled(Tower tower, List<?> inputs) {
        String out = tower == Tower.IMAGE ? requireImage().output() : requireText().output();
        ModelManifest.Pooling pooling = tower == Tower.IMAGE ? requireImage().poolingMode()
                : requireText().poolingMode();
        Run run = run(tower, inputs, Set.of(out));
        return Pooler.pool(run.outputs().get(out), run.mask(), pooling);
    }

    /**
     * The features entering each trainable projection of a tower, by the keys of
     * {@link ModelManifest#trainableProjections}: for a head, the pooled backbone output (with a trailing 1 when the
     * head has a bias, so that the bias trains as one more column of the weights, see {@code ModelVersions}); for
     * in-graph projections, the graph outputs that feed them.
     */
    public Map<String, float[][]> projectionFeatures(Tower tower, List<?> inputs) {
        ProjectionHead head = tower == Tower.IMAGE ? imageHead : textHead;
        if (head != null) {
            float[][] x = pooled(tower, inputs);
            if (head.bias() != null) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = Arrays.copyOf(x[i], x[i].length + 1);
                    x[i][x[i].length - 1] = 1f;
                }
            }
            String key = (tower == Tower.IMAGE ? requireImage().head() : requireText().head()).file();
            return Map.of(key, x);
        }
        List<ModelManifest.Projection> projections = tower == Tower.IMAGE
                ? requireImage().projections() : requireText().projections();
        if (projections.isEmpty()) {
            throw new EmbeddingException("model " + directory.ref() + " declares no trainable projection for the "
                    + tower.label() + " tower (import it with a head to fine-tune it)", false);
        }
        Set<String> outputs = new LinkedHashSet<>();
        projections.forEach(p -> outputs.add(p.featuresOutput()));
        Map<String, Pooler.Tensor> byOutput = run(tower, inputs, outputs).outputs();
        Map<String, float[][]> out = new HashMap<>();
        projections.forEach(p -> out.put(p.initializer(), byOutput.get(p.featuresOutput()).rows()));
        return out;
    }

    /** Graph outputs of one batch, and the attention mask the pooling needs (null for images: every token counts). */
    private record Run(Map<String, Pooler.Tensor> outputs, long[] mask) {}

    @SuppressWarnings("unchecked")
    private Run run(Tower tower, List<?> inputs, Set<String> outputs) {
        return tower == Tower.IMAGE ? new Run(runImage((List<ImageInput>) inputs, outputs), null)
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
    public Map<String, Pooler.Tensor> runImage(List<ImageInput> images, Set<String> outputs) {
        ModelManifest.ImageTower t = requireImage();
        int n = images.size();
        int s = preprocessor.size();
        Buffers buffers = BUFFERS.get();
        FloatBuffer pixels = buffers.floats(n * preprocessor.floatsPerImage());
        for (int i = 0; i < n; i++) {
            preprocessor.write(images.get(i), pixels, i);
        }
        OrtEnvironment env = OrtRuntime.environment();
        long[] shape = {n, 3, s, s};
        try (OnnxTensor input = imageInputFp16 ? OnnxTensor.createTensor(env, toHalf(pixels, buffers), shape,
                OnnxJavaType.FLOAT16) : OnnxTensor.createTensor(env, pixels, shape)) {
            return collect(imageSession.run(Map.of(t.input(), input), outputs), outputs, n);
        } catch (OrtException e) {
            throw new EmbeddingException("image tower of " + directory.ref() + " failed on a batch of " + n + ": "
                    + e.getMessage(), false, e);
        }
    }

    private static ShortBuffer toHalf(FloatBuffer src, Buffers buffers) {
        int n = src.limit();
        ShortBuffer dst = buffers.halfs(n);
        for (int i = 0; i < n; i++) {
            dst.put(i, Float.floatToFloat16(src.get(i)));
        }
        return dst;
    }

    /** Runs the text tower on texts that already carry their instruction. */
    private Run runText(List<String> texts, Set<String> outputs) {
        ModelManifest.TextTower t = requireText();
        TextEncoder.Batch b = encoder.encode(texts);
        Buffers buffers = BUFFERS.get();
        int cells = b.n() * b.length();
        LongBuffer ids = buffers.ids(cells);
        b.writeIds(ids);
        long[] shape = {b.n(), b.length()};
        OrtEnvironment env = OrtRuntime.environment();
        List<OnnxTensor> created = new ArrayList<>(3);
        try {
            Map<String, OnnxTensor> feed = new HashMap<>();
            OnnxTensor idTensor = OnnxTensor.createTensor(env, ids, shape);
            created.add(idTensor);
            feed.put(t.inputIds(), idTensor);
            if (t.attentionMask() != null) {
                LongBuffer mask = buffers.mask(cells);
                b.writeMask(mask);
                OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, shape);
                created.add(maskTensor);
                feed.put(t.attentionMask(), maskTensor);
            }
            if (t.tokenTypeIds() != null) {
                OnnxTensor types = OnnxTensor.createTensor(env, buffers.zeros(cells), shape);
                created.add(types);
                feed.put(t.tokenTypeIds(), types);
            }
            return new Run(collect(textSession.run(feed, outputs), outputs, b.n()), b.mask());
        } catch (OrtException e) {
            throw new EmbeddingException("text tower of " + directory.ref() + " failed on a batch of " + b.n() + ": "
                    + e.getMessage(), false, e);
        } finally {
            created.forEach(OnnxTensor::close);
        }
    }

    /** Public for the benchmarks and tests that drive a tower directly: the named outputs of a text batch. */
    public Map<String, Pooler.Tensor> runTextOutputs(List<String> texts, Set<String> outputs) {
        return runText(texts, outputs).outputs();
    }

    private static Map<String, Pooler.Tensor> collect(OrtSession.Result result, Set<String> outputs, int n)
            throws OrtException {
        try (result) {
            Map<String, Pooler.Tensor> out = new HashMap<>();
            for (String name : outputs) {
                OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                OnnxTensor t = (OnnxTensor) v;
                long[] shape = t.getInfo().getShape();
                // getFloatBuffer widens float16/bfloat16 outputs to float32.
                FloatBuffer fb = t.getFloatBuffer();
                if (fb == null) {
                    throw new IllegalStateException("output " + name + " is " + t.getInfo().type
                            + ", not a floating-point tensor");
                }
                float[] data = new float[fb.remaining()];
                fb.get(data);
                out.put(name, new Pooler.Tensor(data, shape));
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
