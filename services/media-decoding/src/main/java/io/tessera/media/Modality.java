package io.tessera.media;

/** What a piece of media is decoded as. Mirrors the {@code Modality} of the Avro contracts, without depending on them. */
public enum Modality {
    IMAGE, VIDEO, DOCUMENT, TEXT
}
