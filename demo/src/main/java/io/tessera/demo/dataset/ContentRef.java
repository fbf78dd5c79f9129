package io.tessera.demo.dataset;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A reference to content: the {@code ContentReference} branch of the schemas' content union. In dataset files
 * {@code uri} is a relative URI reference ({@code videos/frames/vid-000001-m1.png}) resolved against the directory of
 * the file that holds it, so that a dataset is the same bytes wherever it is written; the schema wants an absolute
 * URI, which {@link #resolvedAgainst(Path)} (or {@link DatasetJson#readPairsResolved}) gives before publishing.
 */
public record ContentRef(String uri, Long sizeBytes, String sha256) {

    public ContentRef {
        Objects.requireNonNull(uri, "uri");
    }

    /** This reference with a relative URI made an absolute {@code file:} URI under {@code directory}. */
    public ContentRef resolvedAgainst(Path directory) {
        URI reference = URI.create(uri);
        if (reference.isAbsolute()) {
            return this;
        }
        // Through Path rather than URI.resolve: a base URI needs a trailing slash, which Path.toUri() only adds for
        // directories that exist, and URI.resolve drops the empty authority of file:///.
        Path target = directory.toAbsolutePath().resolve(reference.getPath()).normalize();
        return new ContentRef(target.toUri().toString(), sizeBytes, sha256);
    }
}
