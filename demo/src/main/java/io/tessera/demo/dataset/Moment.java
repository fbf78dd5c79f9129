package io.tessera.demo.dataset;

import java.util.Map;

/**
 * What happens in a video between {@code startMs} (inclusive) and {@code endMs} (exclusive). The text always names
 * the shape, its colour and where it is, and the scene holds still for most of the moment, so any frame sampled in it
 * after the first {@value io.tessera.demo.dataset.DatasetSpec#TRANSITION_MS} ms shows what the text says.
 * {@code frameMs} is such a frame, written as {@code frameFile} (a PNG, relative to the dataset root).
 */
public record Moment(int index, long startMs, long endMs, String text, Map<String, String> attributes, long frameMs,
        String frameFile) {

    public Moment {
        attributes = Map.copyOf(attributes);
    }
}
