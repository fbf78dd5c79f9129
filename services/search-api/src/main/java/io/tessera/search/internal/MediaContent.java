package io.tessera.search.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tessera.catalog.client.CatalogEntry;
import io.tessera.catalog.client.CatalogTable;
import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.InlineText;
import io.tessera.media.FetchConfig;
import io.tessera.media.FetchedContent;
import io.tessera.media.MediaDecoder;
import io.tessera.media.MediaException;
import io.tessera.media.MediaSource;
import io.tessera.search.ApiException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bytes of an item, for the search page's video player (and anyone who may read the item): inline content read
 * back from the catalog record, or a reference fetched under the same allowlist and size limit as thumbnails
 * ({@link Thumbnails}). Whole contents are kept in a cache bounded by bytes, keyed by the item's catalog version, so
 * that the many range requests a player makes while seeking cost one fetch. Texts have no content here.
 */
public final class MediaContent implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MediaContent.class);

    /**
     * Types served as themselves. Anything else goes out as an attachment of type application/octet-stream: a
     * publisher's HTML or SVG must never run as a page of this origin, where the API key is kept.
     */
    private static final Set<String> INLINE_TYPES = Set.of("video/mp4", "video/webm", "video/ogg", "video/quicktime",
            "video/x-matroska", "image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf");

    /** An item's content: its bytes (owned by the cache, never written to) and how to serve them. */
    public record Content(byte[] bytes, String contentType, boolean inline, String etag) {
    }

    private final CatalogTable catalog;
    private final MediaDecoder fetcher;
    private final Cache<String, Content> cache;

    public MediaContent(CatalogTable catalog, FetchConfig fetch, long cacheBytes) {
        this.catalog = catalog;
        this.fetcher = new MediaDecoder(fetch);
        this.cache = Caffeine.newBuilder()
                .maximumWeight(cacheBytes)
                .weigher((String k, Content v) -> v.bytes().length + 128)
                .build();
    }

    /** @return empty when the item is unknown, of another tenant, a text, or its content is not reachable */
    public Optional<Content> content(String tenant, String mediaId) {
        Optional<CatalogEntry> found = catalog.find(mediaId).filter(e -> e.tenant().equals(tenant));
        if (found.isEmpty() || found.get().content() instanceof InlineText) {
            return Optional.empty();
        }
        CatalogEntry entry = found.get();
        String key = entry.mediaId() + "@" + entry.version();
        Content cached = cache.getIfPresent(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Content> loaded = load(entry);
        loaded.ifPresent(c -> cache.put(key, c));
        return loaded;
    }

    /**
     * Where the item's bytes come from, for the media decoder: its reference, or its inline bytes read back from the
     * topic; null for inline text and for a record compacted away under a newer version the table will read shortly.
     */
    static MediaSource mediaSource(CatalogTable catalog, CatalogEntry entry) {
        return switch (entry.content()) {
            case ContentReference r -> MediaSource.reference(r.getUri(), r.getSizeBytes(), r.getSha256());
            case InlineBytes b -> catalog.inlineBytes(entry, Duration.ofSeconds(5))
                    .map(bytes -> MediaSource.bytes(bytes, entry.contentType())).orElse(null);
            default -> null;
        };
    }

    private Optional<Content> load(CatalogEntry entry) {
        MediaSource source = mediaSource(catalog, entry);
        if (source == null) {
            return Optional.empty();
        }
        try {
            FetchedContent fetched = fetcher.fetch(source);
            String type = typeOf(entry.contentType() != null ? entry.contentType() : fetched.contentType().orElse(null));
            boolean inline = INLINE_TYPES.contains(type);
            return Optional.of(new Content(fetched.bytes(), inline ? type : "application/octet-stream", inline,
                    "\"" + fetched.sha256() + "\""));
        } catch (MediaException e) {
            if (e.retriable()) {
                throw ApiException.unavailable("content_unavailable", "the item's content could not be read just now: "
                        + e.getMessage(), e);
            }
            // Not reachable under this service's allowlist, or over the size limit: said once per request in the log.
            LOG.info("no content for {} ({}): {}", entry.mediaId(), entry.modality(), e.getMessage());
            return Optional.empty();
        }
    }

    /** The media type without parameters, lower case; null stays null. */
    static String typeOf(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
