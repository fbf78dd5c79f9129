package io.tessera.search;

import java.util.Objects;

/** What a search is about: exactly one of a text, an image or a stored item. */
public sealed interface QueryInput {

    /** A short name for logs, metrics and the response: text, image or mediaId. */
    String kind();

    /**
     * @param task        the model task whose instruction template is applied; null for the service default
     * @param instruction replaces the task's representation prompt; null for none
     */
    record Text(String text, String task, String instruction) implements QueryInput {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String kind() {
            return "text";
        }
    }

    /** Encoded image bytes (JPEG, PNG, WebP, GIF, BMP), decoded under the service's byte and pixel caps. */
    record Image(byte[] bytes) implements QueryInput {
        public Image {
            Objects.requireNonNull(bytes, "bytes");
        }

        @Override
        public String kind() {
            return "image";
        }

        @Override
        public String toString() {
            return "Image[" + bytes.length + " bytes]";
        }
    }

    /** The stored whole-item vector of an item of the searching tenant. */
    record Media(String mediaId) implements QueryInput {
        public Media {
            Objects.requireNonNull(mediaId, "mediaId");
        }

        @Override
        public String kind() {
            return "mediaId";
        }
    }
}
