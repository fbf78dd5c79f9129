package io.tessera.search.internal;

import io.tessera.catalog.client.CatalogTable;
import io.tessera.media.FetchConfig;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Builds {@link MediaContent} and {@link ContentLinks}. Content is read under the thumbnails' allowlist and size limit
 * ({@code tessera.fetch.*}): whoever may see an item's
 * thumbnail may play it.
 */
@Singleton
public class MediaContentProducers {

    @Produces
    @Singleton
    MediaContent mediaContent(SearchSettings s, CatalogTable catalog) {
        long cacheBytes = s.search().content().cacheBytes();
        FetchConfig fetch = SearchProducers.contentFetch(s.fetch(), s.search().thumbnails().maxContentBytes());
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
    ContentLinks contentLinks(SearchSettings s) {
        return new ContentLinks(s.search().content().linkSecret(), s.search().content().linkTtl(), Clock.systemUTC());
    }
}
