package io.tessera.demo.dataset;

/** The requested dataset cannot be generated as asked (a size out of range, an unusable output directory). */
public class InvalidDatasetSpecException extends IllegalArgumentException {

    public InvalidDatasetSpecException(String message) {
        super(message);
    }
}
