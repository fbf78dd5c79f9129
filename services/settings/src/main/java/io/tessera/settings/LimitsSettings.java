package io.tessera.settings;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code tessera.limits.*}: how large an item may be, checked where it enters (media-catalog: the record) and where it
 * is decoded (the indexers: bytes, pixels, frames, pages, time). One mapping, so that a limit has one name.
 */
@ConfigMapping(prefix = "tessera.limits")
public interface LimitsSettings {

    /** Bytes of one media.arrived record (9 MiB: under the 10 MiB the local broker accepts, with room for headers). */
    @WithDefault("9437184")
    long maxRecordBytes();

    /** Bytes of inline content in one record. */
    @WithDefault("8388608")
    long maxInlineBytes();

    /** Declared size of referenced content (2 GiB). */
    @WithDefault("2147483648")
    long maxReferenceBytes();

    /** Characters of a text (and of all pages of a document). */
    @WithDefault("1000000")
    int maxTextChars();

    @WithDefault("1024")
    int maxInstructionChars();

    @WithDefault("64")
    int maxAttributes();

    @WithDefault("128")
    int maxAttributeKeyChars();

    @WithDefault("4096")
    int maxAttributeValueChars();

    @WithDefault("4096")
    int maxUriChars();

    /** Bytes per item an indexer fetches or decodes, inline or referenced (64 MiB). */
    @WithDefault("67108864")
    long maxBytes();

    /** Width x height of an image, read from its header before decoding. */
    @WithDefault("50000000")
    long maxPixels();

    @WithDefault("10m")
    Duration maxVideoDuration();

    @WithDefault("600")
    int maxFrames();

    @WithDefault("200")
    int maxPages();

    /** Time budget of decoding one item. */
    @WithDefault("60s")
    Duration decodeTimeout();
}
