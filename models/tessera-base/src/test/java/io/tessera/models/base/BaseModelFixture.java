package io.tessera.models.base;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tessera.embedding.Device;
import io.tessera.embedding.EmbeddingRuntime;
import io.tessera.embedding.ImageInput;
import io.tessera.embedding.RuntimeConfig;
import io.tessera.embedding.TextInput;
import io.tessera.embedding.internal.ImagePreprocessor;
import io.tessera.embedding.internal.OrtRuntime;
import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.LocalModelStore;
import io.tessera.embedding.model.ModelDirectory;
import io.tessera.embedding.onnx.OnnxGraphs;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The bundled tessera-base model installed from the classpath into a fresh store and served by one runtime (CPU,
 * one thread), the scikit-image photographs with their edited copies, generated distractors, the text queries, and
 * the raw graph outputs (logits, features) and E that the measurements recombine. Built once per test JVM.
 */
final class BaseModelFixture {
    /** A photograph and what a user would type to find it (several accepted files for the stereo pair). */
    record Query(String text, Set<String> targets) {}

    /** The natural photographs of scikit-image's sample data (the synthetic ones serve as distractors). */
    static final List<String> PHOTOS = List.of("chelsea.png", "coffee.png", "astronaut.png", "rocket.jpg",
            "coins.png", "brick.png", "camera.png", "grass.png", "gravel.png", "horse.png", "hubble_deep_field.jpg",
            "moon.png", "motorcycle_left.png", "motorcycle_right.png", "page.png", "text.png", "retina.jpg",
            "ihc.png", "clock_motion.png");
    /** Pictures nobody searches for here: scikit-image's synthetic ones and shapes drawn below. */
    static final List<String> SKIMAGE_DISTRACTORS = List.of("logo.png", "color.png", "chessboard_RGB.png");

    static final List<Query> QUERIES = List.of(
            new Query("a cat", Set.of("chelsea.png")),
            new Query("a photo of a cat", Set.of("chelsea.png")),
            new Query("a cup of coffee", Set.of("coffee.png")),
            new Query("an astronaut", Set.of("astronaut.png")),
            new Query("a rocket", Set.of("rocket.jpg")),
            new Query("coins", Set.of("coins.png")),
            new Query("a brick wall", Set.of("brick.png")),
            new Query("a man with a camera", Set.of("camera.png")),
            new Query("grass", Set.of("grass.png")),
            new Query("gravel", Set.of("gravel.png")),
            new Query("a horse", Set.of("horse.png")),
            new Query("galaxies in deep space", Set.of("hubble_deep_field.jpg")),
            new Query("the moon", Set.of("moon.png")),
            new Query("a motorcycle", Set.of("motorcycle_left.png", "motorcycle_right.png")),
            new Query("a page of a book", Set.of("page.png")),
            new Query("the retina of an eye", Set.of("retina.jpg")),
            new Query("cells under a microscope", Set.of("ihc.png")),
            new Query("a clock", Set.of("clock_motion.png")));

    /** Texts in the same index as the pictures: captions close to some queries, and unrelated ones. */
    static final List<String> RELATED_TEXTS = List.of("my cat is sleeping on the windowsill",
            "freshly brewed espresso in a white cup", "a NASA astronaut in a spacesuit",
            "the launch of a space rocket", "a pile of old silver coins", "a motorbike parked on the street",
            "the full moon at night");
    static final List<String> UNRELATED_TEXTS = List.of("quarterly tax report", "how to change a bicycle tyre",
            "the train to Berlin leaves at eight", "a recipe for tomato soup", "minutes of the board meeting",
            "install the printer driver", "the football match ended in a draw", "a poem about autumn leaves",
            "mortgage interest rates rise again", "please reset my password", "the history of the Roman empire",
            "a list of prime numbers", "weather forecast: rain tomorrow");

    /** Edits of each photo that must still find it: name -> edit. */
    static final List<String> EDITS = List.of("crop80", "mirror", "jpeg75", "crop80+jpeg50");

    static RuntimeConfig cpu() {
        return RuntimeConfig.defaults().withDevice(Device.CPU).withThreads(1, 1);
    }

    private static BaseModelFixture instance;

    final ModelDirectory dir;
    final EmbeddingRuntime runtime;
    /** Every picture by name: photos, distractors ("shape:*", skimage synthetic), edits ("chelsea.png#crop80"). */
    final Map<String, BufferedImage> images = new LinkedHashMap<>();
    /** Raw graph outputs by picture name. */
    final Map<String, float[]> logits = new LinkedHashMap<>();
    final Map<String, float[]> features = new LinkedHashMap<>();
    /** E [1000][384] as stored in the graph. */
    final float[][] classEmbeddings;
    /** Unit MiniLM vectors of the queries and the texts, by text. */
    final Map<String, float[]> textVectors = new LinkedHashMap<>();

    private BaseModelFixture() throws IOException, OrtException {
        Path store = TestAssets.work("store");
        TesseraBaseBuilder.deleteRecursively(store);
        dir = DefaultModels.installBundled(new LocalModelStore(store), TesseraBase.REF);
        runtime = EmbeddingRuntime.start(dir, cpu());

        for (String p : PHOTOS) {
            images.put(p, TestAssets.photo(p));
        }
        for (String p : SKIMAGE_DISTRACTORS) {
            images.put(p, TestAssets.photo(p));
        }
        shapes().forEach(images::put);
        for (String p : PHOTOS) {
            for (String e : EDITS) {
                images.put(p + "#" + e, edit(images.get(p), e));
            }
        }

        OnnxMl.ModelProto graph = OnnxGraphs.parse(dir.file(TesseraBase.IMAGE_MODEL_FILE));
        float[] flat = graph.getGraph().getInitializerList().stream()
                .filter(t -> t.getName().equals(TesseraBase.CLASS_EMBEDDINGS)).findFirst()
                .map(OnnxGraphs::floats).orElseThrow();
        classEmbeddings = new float[flat.length / TesseraBase.TEXT_DIMENSION][];
        for (int c = 0; c < classEmbeddings.length; c++) {
            classEmbeddings[c] = java.util.Arrays.copyOfRange(flat, c * TesseraBase.TEXT_DIMENSION,
                    (c + 1) * TesseraBase.TEXT_DIMENSION);
        }
        rawOutputs();

        List<String> texts = new ArrayList<>();
        QUERIES.forEach(q -> texts.add(q.text()));
        texts.addAll(RELATED_TEXTS);
        texts.addAll(UNRELATED_TEXTS);
        for (String t : texts) {
            float[] pooled = runtime.textFeatures(List.of(TextInput.of(t))).features().get(TesseraBase.TEXT_HEAD)[0];
            textVectors.put(t, ZeroShotBridge.normalised(pooled));
        }
    }

    static synchronized BaseModelFixture get() throws IOException, OrtException {
        if (instance == null) {
            instance = new BaseModelFixture();
        }
        return instance;
    }

    /** Logits and features of every picture, from the bundled graph with the runtime's own preprocessing. */
    private void rawOutputs() throws OrtException {
        ImagePreprocessor pre = new ImagePreprocessor(dir.manifest().image());
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(1);
        o.setInterOpNumThreads(1);
        try (OrtSession s = OrtRuntime.environment().createSession(dir.file(TesseraBase.IMAGE_MODEL_FILE).toString(),
                o)) {
            int size = pre.size();
            FloatBuffer buf = ByteBuffer.allocateDirect(pre.floatsPerImage() * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (Map.Entry<String, BufferedImage> e : images.entrySet()) {
                pre.write(ImageInput.of(e.getValue()), buf, 0);
                try (OnnxTensor in = OnnxTensor.createTensor(OrtRuntime.environment(), buf,
                        new long[] {1, 3, size, size});
                        OrtSession.Result r = s.run(Map.of(TesseraBase.IMAGE_INPUT, in),
                                Set.of(TesseraBase.LOGITS_OUTPUT, TesseraBase.FEATURES_OUTPUT))) {
                    logits.put(e.getKey(), ((float[][]) r.get(TesseraBase.LOGITS_OUTPUT).orElseThrow().getValue())[0]);
                    features.put(e.getKey(),
                            ((float[][]) r.get(TesseraBase.FEATURES_OUTPUT).orElseThrow().getValue())[0]);
                }
            }
        }
    }

    /** Names of the pictures that are not edits (the photos and the distractors): the gallery searched. */
    List<String> gallery() {
        return images.keySet().stream().filter(n -> !n.contains("#")).toList();
    }

    // -------------------------------------------------------------------------------------------- the maths

    /** normalise(softmax(logits / T) · E). */
    float[] bridge(String image, double temperature) {
        float[] l = logits.get(image);
        double max = Double.NEGATIVE_INFINITY;
        for (float v : l) {
            max = Math.max(max, v / temperature);
        }
        double[] p = new double[l.length];
        double sum = 0;
        for (int i = 0; i < l.length; i++) {
            p[i] = Math.exp(l[i] / temperature - max);
            sum += p[i];
        }
        float[] b = new float[TesseraBase.TEXT_DIMENSION];
        for (int c = 0; c < l.length; c++) {
            double w = p[c] / sum;
            for (int d = 0; d < b.length; d++) {
                b[d] += (float) (w * classEmbeddings[c][d]);
            }
        }
        return ZeroShotBridge.normalised(b);
    }

    float[] unitFeatures(String image) {
        return ZeroShotBridge.normalised(features.get(image));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    // -------------------------------------------------------------------------------------------- pictures

    static BufferedImage edit(BufferedImage src, String edit) {
        return switch (edit) {
            case "crop80" -> centre(src, 0.8);
            case "mirror" -> mirror(src);
            case "jpeg75" -> jpeg(src, 0.75f);
            case "crop80+jpeg50" -> jpeg(centre(src, 0.8), 0.5f);
            default -> throw new IllegalArgumentException(edit);
        };
    }

    static BufferedImage centre(BufferedImage src, double fraction) {
        int w = (int) Math.round(src.getWidth() * fraction);
        int h = (int) Math.round(src.getHeight() * fraction);
        return src.getSubimage((src.getWidth() - w) / 2, (src.getHeight() - h) / 2, w, h);
    }

    static BufferedImage mirror(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, src.getWidth(), 0, -src.getWidth(), src.getHeight(), null);
        g.dispose();
        return out;
    }

    static BufferedImage jpeg(BufferedImage src, float quality) {
        BufferedImage rgb = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = rgb.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
        g.drawImage(src, 0, 0, null);
        g.dispose();
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
            out.flush();
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    /** Generated distractors: flat shapes, stripes, a checkerboard and seeded noise. */
    static Map<String, BufferedImage> shapes() {
        Map<String, BufferedImage> out = new LinkedHashMap<>();
        out.put("shape:red-circle", draw(g -> {
            g.setColor(new Color(220, 30, 30));
            g.fillOval(48, 48, 160, 160);
        }));
        out.put("shape:blue-square", draw(g -> {
            g.setColor(new Color(30, 60, 200));
            g.fillRect(56, 56, 144, 144);
        }));
        out.put("shape:green-triangle", draw(g -> {
            g.setColor(new Color(40, 160, 60));
            g.fillPolygon(new Polygon(new int[] {128, 28, 228}, new int[] {30, 220, 220}, 3));
        }));
        out.put("shape:stripes", draw(g -> {
            g.setColor(Color.BLACK);
            for (int x = 0; x < 256; x += 32) {
                g.fillRect(x, 0, 16, 256);
            }
        }));
        out.put("shape:rings", draw(g -> {
            g.setStroke(new BasicStroke(10));
            for (int r = 20; r < 128; r += 24) {
                g.setColor(r % 48 == 20 ? Color.ORANGE : Color.MAGENTA);
                g.drawOval(128 - r, 128 - r, 2 * r, 2 * r);
            }
        }));
        BufferedImage noise = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(7);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                noise.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        out.put("shape:noise", noise);
        return out;
    }

    private static BufferedImage draw(java.util.function.Consumer<Graphics2D> painter) {
        BufferedImage img = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 256, 256);
        painter.accept(g);
        g.dispose();
        return img;
    }
}
