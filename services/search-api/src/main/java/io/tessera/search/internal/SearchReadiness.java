package io.tessera.search.internal;

import io.tessera.catalog.client.CatalogTable;
import io.tessera.search.LiveModel;
import io.tessera.vectorstore.VectorStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when Milvus answers and a model is loaded; thumbnails are optional and not part of readiness. */
@Readiness
@ApplicationScoped
public class SearchReadiness implements HealthCheck {

    @Inject
    VectorStore store;

    @Inject
    LiveModel model;

    @Inject
    CatalogTable catalog;

    @Override
    public HealthCheckResponse call() {
        boolean milvus = store.isReachable();
        return HealthCheckResponse.named("search")
                .status(milvus)
                .withData("milvus", milvus)
                .withData("model", model.loadedModel().toString())
                .withData("alias", model.alias())
                .withData("catalogItems", catalog.size())
                .withData("catalogCaughtUp", catalog.caughtUp().isDone())
                .build();
    }
}
