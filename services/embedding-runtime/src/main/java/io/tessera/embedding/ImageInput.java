package io.tessera.embedding;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A decoded picture to embed: a {@link BufferedImage} of any type, or packed 8-bit RGB bytes (row-major,
 * {@code width*height*3}, e.g. a video frame FFmpeg delivered as RGB24). Bytes already at the model's square
 * size skip resizing altogether.
 */
public sealed interface ImageInput {
    int width();

    int height();

    record Image(BufferedImage image) implements ImageInput {
        public Image {
            Objects.requireNonNull(image, "image");
        }

        @Override
        public int width() {
            return image.getWidth();
        }

        @Override
        public int height() {
            return image.getHeight();
        }
    }

    record Rgb(byte[] rgb, int width, int height) implements ImageInput {
        public Rgb {
            Objects.requireNonNull(rgb, "rgb");
            if (width < 1 || height < 1) {
                throw new InvalidInputException("RGB image must have a positive size, got " + width + "x" + height);
            }
            if ((long) width * height * 3 != rgb.length) {
                throw new InvalidInputException("RGB image of " + width + "x" + height + " needs "
                        + ((long) width * height * 3) + " bytes, got " + rgb.length);
            }
        }
    }

    static ImageInput of(BufferedImage image) {
        return new Image(image);
    }

    static ImageInput ofRgb(byte[] rgb, int width, int height) {
        return new Rgb(rgb, width, height);
    }
}
