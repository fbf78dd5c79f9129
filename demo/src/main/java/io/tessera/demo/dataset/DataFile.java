package io.tessera.demo.dataset;

/** A JSON Lines file of the dataset (relative to its root), how many records it holds and its SHA-256. */
public record DataFile(String file, int records, String sha256) {
}
