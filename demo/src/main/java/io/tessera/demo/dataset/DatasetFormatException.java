package io.tessera.demo.dataset;

import java.io.IOException;

/** A dataset file that is not what it should be (not JSON, a missing field, an unknown format version). */
public class DatasetFormatException extends IOException {

    public DatasetFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
