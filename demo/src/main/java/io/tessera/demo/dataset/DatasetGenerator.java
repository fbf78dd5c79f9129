package io.tessera.demo.dataset;

import io.tessera.demo.dataset.internal.DatasetBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Generates Tessera's multimodal dataset, deterministically: the same {@link DatasetSpec} gives byte-identical files.
 *
 * <p>Layout of the output directory:
 * <pre>
 * manifest.json                   {@link DatasetManifest}: every item, its attributes, moments and pages
 * pairs.jsonl                     {@link TrainingPair} per line (the CuratedPair fields), training items only
 * eval.jsonl                      {@link EvalQuery} per line, held-out items only
 * images/img-000001.png           224x224 pictures of shapes
 * videos/vid-000001.mp4|.webm     MP4/H.264 192x192 at 10 fps, or WebM/VP8 160x160 at 8 fps, 4 to 8 s
 * videos/frames/vid-000001-m1.png one frame per moment (the positive of a t2v pair)
 * documents/doc-000001.pdf        2 to 4 pages: heading, keywords, figure, caption, body text
 * documents/pages/doc-000001-p1.png each page rendered 224 pixels wide (the positive of a t2d pair)
 * texts/txt-000001.txt            a passage of four sentences
 * </pre>
 *
 * <p>Media ids are {@code img-}, {@code vid-}, {@code doc-} or {@code txt-} and a six-digit number from 1, the same
 * for every seed (so publishing another seed's dataset replaces the items in place). Pair ids are
 * {@code s<seed>-<task>-<subject>}, for example {@code s42-t2v-vid-000003-m2} for the second moment of a video.
 *
 * <p>Held out: two colours per shape (sixteen shape-colour pairs, chosen by the seed). Evaluation items show only
 * those pairs, training items and every text of every training pair none; every evaluation query has exactly one
 * right answer in its modality.
 */
public final class DatasetGenerator {

    private final VideoEncoder encoder;

    /** A generator that encodes videos with the media library ({@link VideoEncoder#mediaLibrary()}). */
    public DatasetGenerator() {
        this(VideoEncoder.mediaLibrary());
    }

    public DatasetGenerator(VideoEncoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    /**
     * Writes the dataset of {@code spec} to {@code directory} and returns its manifest. The directory must be new,
     * empty, or hold an earlier dataset (which is replaced); anything else is refused with
     * {@link InvalidDatasetSpecException}.
     */
    public DatasetManifest generate(DatasetSpec spec, Path directory) throws IOException {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(directory, "directory");
        return new DatasetBuilder(spec, encoder).build(directory);
    }
}
