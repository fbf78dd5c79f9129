package io.tessera.embedding;

import io.tessera.embedding.model.ModelRef;

/**
 * One L2-normalised vector and the model version that made it (a swap can happen between a call and its batch, so
 * the version travels with the vector; indexers write to that version's collection).
 */
public record Embedding(ModelRef model, float[] vector) {}
