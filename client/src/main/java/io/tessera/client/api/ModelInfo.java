package io.tessera.client.api;

/** The model version that encoded the query: the one that made the collection behind the model's alias. */
public record ModelInfo(String name, int version) {
}
