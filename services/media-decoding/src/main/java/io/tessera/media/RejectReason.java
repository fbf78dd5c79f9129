package io.tessera.media;

/**
 * Why content was rejected for good. Machine-readable (DLQ headers, FAILED events, metrics by reason);
 * resending the same content gives the same answer, so none of these is ever retried.
 */
public enum RejectReason {
    /** No bytes, or text with nothing but whitespace. */
    EMPTY,
    /** More bytes than the configured limit (declared or actually received). */
    TOO_LARGE,
    /** The declared size differs from the bytes received. */
    SIZE_MISMATCH,
    /** The sha256 given with a reference does not match the bytes. */
    CHECKSUM_MISMATCH,
    /** A reference that is not a valid URI or sha256, or inline content given for the wrong modality. */
    INVALID_REFERENCE,
    /** The scheme or host is not on the allowlist (no SSRF), or the host redirected elsewhere. */
    URI_NOT_ALLOWED,
    /** A {@code file:} reference outside the configured roots, through {@code ..} or a symlink. */
    FILE_OUTSIDE_ROOTS,
    /** The referenced file or URL does not exist (404/410). */
    NOT_FOUND,
    /** The server or file system refused access (401/403, file permissions). */
    ACCESS_DENIED,
    /** The server answered with another status that retrying will not change (a 4xx, or a redirect loop). */
    HTTP_STATUS,
    /** Not a format this modality accepts. */
    UNSUPPORTED_FORMAT,
    /** The image is damaged: its header or data cannot be decoded. */
    CORRUPT_IMAGE,
    /** The video cannot be opened or has no decodable video stream. */
    CORRUPT_VIDEO,
    /** The PDF cannot be parsed. */
    CORRUPT_DOCUMENT,
    /** The PDF needs a password. */
    ENCRYPTED,
    /** The bytes are not valid text in the declared (or default UTF-8) charset. */
    INVALID_TEXT,
    /** The content ends before its own structure says it should (a JPEG without EOI, an MP4 box cut short). */
    TRUNCATED,
    /** Width x height above the pixel cap (read from the header, before decoding anything). */
    PIXEL_LIMIT,
    /** The video is longer than the duration cap. */
    DURATION_LIMIT,
    /** The document has more pages than the page cap. */
    PAGE_LIMIT,
    /** The text is longer than the text cap or would need more chunks than allowed. */
    TEXT_LIMIT,
    /** Decoding took longer than the decode time limit: a decompression bomb or a pathological file. */
    DECODE_TIMEOUT
}
