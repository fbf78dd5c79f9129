package io.tessera.demo.dataset;

/**
 * The one right answer to an evaluation query: a catalog item, and for a video the moment ({@code startMs} to
 * {@code endMs}, with {@code frameMs} a frame inside it), for a document the page (from 1). A retrieval hit on a
 * video counts when its timestamp lies within the tolerance the evaluator chooses (the demo: ±1 s) of the moment.
 */
public record EvalTarget(String mediaId, Modality modality, Long startMs, Long endMs, Long frameMs, Integer page) {
}
