package io.tessera.media;

import io.tessera.media.internal.ContentFetcher;
import io.tessera.media.internal.FfmpegRuntime;
import io.tessera.media.internal.ImageDecoding;
import io.tessera.media.internal.PdfDecoding;
import io.tessera.media.internal.TextDecoding;
import io.tessera.media.internal.VideoSampling;
import java.util.Objects;

/**
 * The one entry point indexers use: fetch content under the {@link FetchConfig}'s limits and allowlists, and decode
 * it as the given modality under the {@link DecodeOptions}' caps.
 *
 * <pre>{@code
 * try (MediaDecoder decoder = new MediaDecoder(fetchConfig)) {
 *     DecodedMedia media = decoder.decode(MediaSource.reference(uri, size, sha256), Modality.VIDEO, options);
 *     if (media instanceof DecodedMedia.DecodedVideo video) { ... video.frames() ... }
 * } catch (MediaRejectedException e) { dead-letter with e.reason() }
 *   catch (TransientMediaException e) { retry with backoff }
 * }</pre>
 *
 * <p>Thread-safe: one instance serves a whole worker pool. Memory per call is bounded by
 * {@link FetchConfig#maxBytes()} for the content plus {@link DecodeOptions#maxOutputBytes()} for the pixels
 * (an image: its subsampled size, bounded by the pixel cap).
 *
 * <p>With OCR on ({@link io.tessera.media.ocr.OcrOptions}, the default when Tesseract is installed), decoding a
 * document page without a text layer or a video also runs the OCR engine, one picture at a time on the calling
 * thread, under the OCR options' own per-call and per-item limits.
 */
public final class MediaDecoder implements AutoCloseable {

    private final ContentFetcher fetcher;
    private final DecodeOptions defaults;

    public MediaDecoder(FetchConfig config) {
        this(config, DecodeOptions.defaults());
    }

    /**
     * @throws java.io.UncheckedIOException when a configured file root does not exist (fail at start, not per item)
     */
    public MediaDecoder(FetchConfig config, DecodeOptions defaults) {
        this.fetcher = new ContentFetcher(Objects.requireNonNull(config, "config"));
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /**
     * Loads the FFmpeg natives now (about a second, and ~40 MB extracted on the first run) instead of on the first
     * video; call it at service start so that readiness means ready.
     *
     * @throws IllegalStateException when the natives for this platform are missing
     */
    public static void loadNatives() {
        FfmpegRuntime.ensureLoaded();
    }

    /** The bytes of a source, checked against limits, allowlists, the declared size and sha256. */
    public FetchedContent fetch(MediaSource source) throws MediaException {
        return fetcher.fetch(Objects.requireNonNull(source, "source"));
    }

    /** {@link #decode(MediaSource, Modality, DecodeOptions)} with this decoder's default options. */
    public DecodedMedia decode(MediaSource source, Modality modality) throws MediaException {
        return decode(source, modality, defaults);
    }

    /**
     * Fetches and decodes. The result type follows the modality: {@link DecodedMedia.DecodedImage},
     * {@link DecodedMedia.DecodedVideo}, {@link DecodedMedia.DecodedDocument} or {@link DecodedMedia.DecodedText}.
     *
     * @throws MediaRejectedException  the content can never be decoded as asked (dead-letter it)
     * @throws TransientMediaException fetching failed in a way that may pass (retry it)
     */
    public DecodedMedia decode(MediaSource source, Modality modality, DecodeOptions options) throws MediaException {
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(options, "options");
        if (source instanceof MediaSource.Text text && modality != Modality.TEXT) {
            throw new MediaRejectedException(RejectReason.INVALID_REFERENCE,
                    "inline text cannot be decoded as " + modality + "; send the bytes or a reference");
        }
        FetchedContent content = fetch(source);
        if (source instanceof MediaSource.Text text) {
            return TextDecoding.decode(text.text(), content, options);
        }
        return decode(content, modality, options);
    }

    /** Decodes content fetched earlier (by {@link #fetch}) as the given modality. */
    public DecodedMedia decode(FetchedContent content, Modality modality, DecodeOptions options)
            throws MediaRejectedException {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(options, "options");
        return switch (Objects.requireNonNull(modality, "modality")) {
            case IMAGE -> ImageDecoding.decode(content, options);
            case VIDEO -> VideoSampling.decode(content, options);
            case DOCUMENT -> PdfDecoding.decode(content, options);
            case TEXT -> TextDecoding.decode(content, options);
        };
    }

    public DecodeOptions defaultOptions() {
        return defaults;
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
