package io.tessera.search.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogTable;
import io.tessera.events.InlineBytes;
import io.tessera.media.DecodeOptions;
import io.tessera.media.DecodedMedia;
import io.tessera.media.FetchConfig;
import io.tessera.media.ImageEncoder;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaException;
import io.tessera.media.MediaSource;
import io.tessera.media.Modality;
import io.tessera.media.RgbImage;
import io.tessera.search.ApiException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Small JPEG previews for the search page: an image itself, the sampled video frame nearest to a hit's time, a
 * document page. Content comes from where the catalog says it is ({@link CatalogTable}): inline bytes read back from
 * Kafka, or a reference fetched under the same allowlist rules as the indexers (file roots, hosts, buckets).
 * Thumbnails of an item are made together on its first request and kept in a cache bounded by bytes, keyed by the
 * item's catalog version so that a republished item gets fresh ones. Texts have none.
 */
public final class Thumbnails implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Thumbnails.class);
    private static final int MAX_VIDEO_FRAMES = 120;
    private static final int MAX_PAGES = 200;

    /** One sampled picture of an item: a frame with its time span, a page, or the image. */
    record Frame(int index, long startMs, long endMs, byte[] jpeg) {
    }

    private final CatalogTable catalog;
    private final MediaDecoder decoder;
    private final int size;
    private final Semaphore decodes;
    private final Cache<String, List<Frame>> cache;

    public Thumbnails(CatalogTable catalog, FetchConfig fetch, int size, long cacheBytes, int maxConcurrentDecodes) {
        this.catalog = catalog;
        this.decoder = new MediaDecoder(fetch);
        this.size = size;
        this.decodes = new Semaphore(maxConcurrentDecodes, true);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((String k, List<Frame> v) -> v.stream().mapToInt(f -> f.jpeg().length + 64).sum() + 64)
                .build();
    }

    /**
     * @param atMs for a video, the time wanted (the nearest sampled frame is returned); null for the first frame
     * @param page for a document, the 1-based page; null for the first
     * @return empty when the item is unknown, of another tenant, a text, or its content is not reachable
     */
    public Optional<byte[]> thumbnail(String tenant, String mediaId, Long atMs, Integer page) {
        Optional<CatalogEntry> found = catalog.find(mediaId).filter(e -> e.tenant().equals(tenant));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        CatalogEntry entry = found.get();
        List<Frame> frames = cache.getIfPresent(key(entry));
        if (frames == null) {
            frames = render(entry);
            if (frames == null) {
                return Optional.empty();
            }
            cache.put(key(entry), frames);
        }
        if (frames.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(pick(frames, entry.modality().name(), atMs, page).jpeg());
    }

    private static String key(CatalogEntry entry) {
        return entry.mediaId() + "@" + entry.version();
    }

    static Frame pick(List<Frame> frames, String modality, Long atMs, Integer page) {
        if ("DOCUMENT".equals(modality) && page != null) {
            int index = Math.max(0, Math.min(frames.size() - 1, page - 1));
            return frames.get(index);
        }
        if ("VIDEO".equals(modality) && atMs != null) {
            Frame best = frames.getFirst();
            for (Frame f : frames) {
                if (atMs >= f.startMs() && atMs < f.endMs()) {
                    return f;
                }
                if (Math.abs(f.startMs() - atMs) < Math.abs(best.startMs() - atMs)) {
                    best = f;
                }
            }
            return best;
        }
        return frames.getFirst();
    }

    /** The item's pictures; empty when it has none for good; null when a later attempt may succeed. */
    private List<Frame> render(CatalogEntry entry) {
        Modality modality;
        try {
            modality = Modality.valueOf(entry.modality().name());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        if (modality == Modality.TEXT) {
            return List.of();
        }
        MediaSource source = MediaContent.mediaSource(catalog, entry);
        if (source == null) {
            // Inline text, or a record compacted away under a newer version the index will read shortly.
            return entry.content() instanceof InlineBytes ? null : List.of();
        }
        boolean acquired = false;
        try {
            acquired = decodes.tryAcquire(30, TimeUnit.SECONDS);
            if (!acquired) {
                throw ApiException.unavailable("thumbnails_busy", "too many thumbnails are being made; retry", null);
            }
            DecodedMedia media = decoder.decode(source, modality, options(modality));
            return frames(media);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted", "interrupted while making a thumbnail", e);
        } catch (MediaException e) {
            // Not reachable under this service's allowlist, or undecodable: no thumbnail, said once in the log.
            // A transient failure (a host that did not answer) is not remembered, so a later request tries again.
            LOG.info("no thumbnail for {} ({}): {}", entry.mediaId(), entry.modality(), e.getMessage());
            return e.retriable() ? null : List.of();
        } finally {
            if (acquired) {
                decodes.release();
            }
        }
    }

    private DecodeOptions options(Modality modality) {
        DecodeOptions.Builder b = DecodeOptions.builder().imageTargetShortSide(size).frameShortSide(even(size))
                .maxFrames(MAX_VIDEO_FRAMES).extractPageText(false).maxPages(MAX_PAGES);
        if (modality == Modality.DOCUMENT) {
            // A thumbnail needs far less than the indexers' 96 DPI.
            b.pageDpi(36).maxPagePixels((long) size * size * 4);
        }
        return b.build();
    }

    private static int even(int n) {
        return n % 2 == 0 ? n : n + 1;
    }

    private List<Frame> frames(DecodedMedia media) {
        List<Frame> out = new ArrayList<>();
        switch (media) {
            case DecodedMedia.DecodedImage i -> out.add(new Frame(0, 0, 0, jpeg(i.image())));
            case DecodedMedia.DecodedVideo v -> v.frames().forEach(f ->
                    out.add(new Frame(f.index(), f.startMs(), f.endMs(), jpeg(f.image()))));
            case DecodedMedia.DecodedDocument d -> d.pages().forEach(p ->
                    out.add(new Frame(p.index(), 0, 0, jpeg(p.image()))));
            case DecodedMedia.DecodedText t -> {
            }
        }
        return List.copyOf(out);
    }

    private byte[] jpeg(RgbImage image) {
        BufferedImage source = image.toBufferedImage();
        double scale = Math.min(1.0, (double) size / Math.max(image.width(), image.height()));
        int w = Math.max(1, (int) Math.round(image.width() * scale));
        int h = Math.max(1, (int) Math.round(image.height() * scale));
        BufferedImage scaled = source;
        if (scale < 1.0) {
            scaled = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
            Graphics2D g = scaled.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(source, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
        }
        try {
            return ImageEncoder.jpeg(scaled, 0.85f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a thumbnail", e);
        }
    }

    @Override
    public void close() {
        decoder.close();
    }
}
