package io.tessera.bench.embed;

import io.tessera.embedding.ImageInput;
import io.tessera.embedding.ImagePreprocessing;
import io.tessera.embedding.model.ModelManifest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

/**
 * The model's image preprocessing (resize, crop, normalise into the input tensor) measured apart from inference, for
 * benchmarks that split CPU time by stage: in the runtime it runs on the thread that calls inference.
 */
public final class PreprocessTiming {

    private PreprocessTiming() {
    }

    /**
     * CPU milliseconds this thread spends preprocessing every image once, the same code the runtime runs before each
     * inference (the second of two passes, so class loading and JIT are not counted); 0 without an image tower.
     */
    public static double imageCpuMillis(ModelManifest manifest, List<ImageInput> images) {
        if (images.isEmpty() || manifest.image() == null) {
            return 0;
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ImagePreprocessing pre = new ImagePreprocessing(manifest);
        long cpu = 0;
        for (int pass = 0; pass < 2; pass++) {
            long t = threads.getCurrentThreadCpuTime();
            for (ImageInput image : images) {
                pre.apply(image);
            }
            cpu = threads.getCurrentThreadCpuTime() - t;
        }
        return cpu / 1e6;
    }
}
