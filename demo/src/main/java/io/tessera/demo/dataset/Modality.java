package io.tessera.demo.dataset;

/** The modality of a dataset item; the names are the symbols of the {@code Modality} enum of the event schemas. */
public enum Modality {
    IMAGE, VIDEO, DOCUMENT, TEXT
}
