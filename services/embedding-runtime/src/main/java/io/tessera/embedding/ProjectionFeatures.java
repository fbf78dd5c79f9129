package io.tessera.embedding;

import io.tessera.embedding.model.ModelRef;
import java.util.Map;

/**
 * For the trainer: the features entering each trainable projection of a tower, by projection initializer name,
 * one row per input ({@code features.get(name)[i]} goes with input i).
 */
public record ProjectionFeatures(ModelRef model, Tower tower, Map<String, float[][]> features) {}
