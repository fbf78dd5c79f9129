package io.tessera.embedding;

/** The two towers of a CLIP-style model; both embed into the same space. */
public enum Tower {
    IMAGE,
    TEXT;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
