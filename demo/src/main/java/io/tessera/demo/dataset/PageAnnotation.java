package io.tessera.demo.dataset;

import java.util.List;
import java.util.Map;

/**
 * One page of a generated PDF: its heading, keywords, the caption of its figure, the body text (all of it
 * born-digital text on the page), the figure's attributes, and the page rendered as a PNG ({@code imageFile},
 * relative to the dataset root). Pages are numbered from 1.
 */
public record PageAnnotation(int page, String title, List<String> keywords, String figureCaption, String body,
        Map<String, String> attributes, String imageFile) {

    public PageAnnotation {
        keywords = List.copyOf(keywords);
        attributes = Map.copyOf(attributes);
    }
}
