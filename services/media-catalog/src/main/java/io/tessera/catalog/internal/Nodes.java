package io.tessera.catalog.internal;

import io.tessera.events.Modality;

/** Names of the topology's nodes; the processors forward to the sinks by these names. */
public final class Nodes {

    public static final String ARRIVED_SOURCE = "media-arrived-source";
    public static final String INDEXED_SOURCE = "media-indexed-source";
    public static final String ARRIVED_PROCESSOR = "catalog-arrived";
    public static final String INDEXED_PROCESSOR = "catalog-indexed";
    public static final String CATALOG_SINK = "media-catalog-sink";
    public static final String INDEXED_SINK = "media-indexed-sink";
    public static final String DLQ_SINK = "media-dlq-sink";

    private Nodes() {
    }

    /** The sink of a routed modality. */
    public static String routeSink(Modality modality) {
        return "route-" + modality.name().toLowerCase(java.util.Locale.ROOT) + "-sink";
    }
}
