package io.tessera.search;

import io.tessera.embedding.ImageInput;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaException;
import io.tessera.media.MediaRejectedException;
import io.tessera.media.MediaSource;
import io.tessera.media.Modality;
import io.tessera.media.RgbImage;
import java.util.Set;

/**
 * Decodes query images under caps on bytes and pixels (a header claiming 30000x20000 is rejected before anything is
 * decoded), so a search request can never make the service allocate more than the caps allow.
 */
public final class QueryImageDecoder implements AutoCloseable {

    private final long maxBytes;
    private final long maxPixels;
    private final MediaDecoder decoder;
    private final DecodeOptions options;

    /**
     * @param maxBytes      the largest encoded image accepted
     * @param maxPixels     the largest width x height accepted
     * @param targetSide    large images are subsampled while decoding to about this shorter side, 0 for none (the model resizes
     *                      to its own input size anyway)
     */
    public QueryImageDecoder(long maxBytes, long maxPixels, int targetSide) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        // Inline bytes only: a query can never make the service fetch a file or a URL.
        this.decoder = new MediaDecoder(FetchConfig.builder().maxBytes(maxBytes).allowedSchemes(Set.of()).build());
        this.options = DecodeOptions.builder().maxImagePixels(maxPixels).imageTargetShortSide(targetSide).build();
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** @throws ApiException 413 above the caps, 400 for anything that is not a decodable image */
    public ImageInput decode(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("empty_query", "the image is empty");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(bytes.length);
        }
        try {
            DecodedMedia media = decoder.decode(MediaSource.bytes(bytes), Modality.IMAGE, options);
            RgbImage image = ((DecodedMedia.DecodedImage) media).image();
            return ImageInput.ofRgb(image.rgb(), image.width(), image.height());
        } catch (MediaRejectedException e) {
            throw switch (e.reason()) {
                case TOO_LARGE -> tooLarge(bytes.length);
                case PIXEL_LIMIT -> ApiException.tooLarge("image_too_large",
                        "the image has more than " + maxPixels + " pixels: " + e.getMessage());
                case EMPTY -> ApiException.badRequest("empty_query", "the image is empty");
                default -> ApiException.badRequest("invalid_image",
                        "the image cannot be decoded (JPEG, PNG, WebP, GIF or BMP expected): " + e.getMessage());
            };
        } catch (MediaException e) {
            // Inline bytes involve no I/O, so a transient failure here is unexpected: report it as such.
            throw ApiException.unavailable("image_decoding_failed", "decoding the image failed: " + e.getMessage(), e);
        }
    }

    private ApiException tooLarge(long size) {
        return ApiException.tooLarge("image_too_large",
                "the image has " + size + " bytes; the limit is " + maxBytes + " (tessera.search.max-image-bytes)");
    }

    @Override
    public void close() {
        decoder.close();
    }
}
