package io.tessera.embedding;

import io.tessera.embedding.internal.ImagePreprocessor;
import io.tessera.embedding.model.ModelManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A model's image preprocessing (resize, crop, normalise into the input tensor) on its own: the same code the runtime
 * runs before each inference. The runtime runs it on the thread that calls inference, where its cost is counted as
 * inference; tools that split CPU time by stage (the index benchmark) run it here to measure it apart.
 */
public final class ImagePreprocessing {

    private final ImagePreprocessor preprocessor;
    private final FloatBuffer tensor;

    /**
     * @throws IllegalArgumentException when the model has no image tower
     */
    public ImagePreprocessing(ModelManifest manifest) {
        if (manifest.image() == null) {
            throw new IllegalArgumentException("the model has no image tower");
        }
        this.preprocessor = new ImagePreprocessor(manifest.image());
        this.tensor = ByteBuffer.allocateDirect(preprocessor.floatsPerImage() * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    /** Preprocesses {@code image} into this object's input tensor (overwritten by every call): one thread at a time. */
    public void apply(ImageInput image) {
        preprocessor.write(image, tensor, 0);
    }
}
