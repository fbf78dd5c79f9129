package io.tessera.search.internal;

import io.tessera.catalog.client.CatalogTable;
import io.tessera.media.FetchConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds {@link MediaContent} and {@link ContentLinks}. Content is read under the thumbnails' allowlist and size limit
 * ({@code tessera.search.thumbnails.*}, and the buckets of {@code tessera.fetch.s3.*}): whoever may see an item's
 * thumbnail may play it.
 */
@Singleton
public class MediaContentProducers {

    @Produces
    @Singleton
    MediaContent mediaContent(SearchSettings s, CatalogTable catalog,
                              @ConfigProperty(name = "tessera.search.content.cache-bytes", defaultValue = "268435456")
                              long cacheBytes) {
        FetchConfig fetch = SearchProducers.contentFetch(s.search().thumbnails(), s.fetch().s3());
        if (cacheBytes <= 0) {
            throw new IllegalArgumentException("tessera.search.content.cache-bytes must be positive, was " + cacheBytes);
        }
        return new MediaContent(catalog, fetch, cacheBytes);
    }

    void closeMediaContent(@Disposes MediaContent content) {
        content.close();
    }

    @Produces
    @Singleton
    ContentLinks contentLinks(@ConfigProperty(name = "tessera.search.content.link-secret") Optional<String> secret,
                              @ConfigProperty(name = "tessera.search.content.link-ttl", defaultValue = "PT15M")
                              Duration ttl) {
        return new ContentLinks(secret, ttl, Clock.systemUTC());
    }
}
