package io.tessera.vectorstore;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A nearest-neighbour search within one tenant. There is deliberately no free-form filter: every clause is built
 * by the store from these typed values, and the tenant clause is always applied on the server.
 *
 * @param collectionOrAlias where to search; normally the model's alias
 * @param modalities        empty for all modalities
 * @param topK              number of rows to return, 1..{@link #MAX_TOP_K}
 * @param conditions        attribute and time conditions every row must meet (ANDed); empty for none
 */
public record SearchRequest(String collectionOrAlias, String tenant, float[] vector, int topK,
                            Set<String> modalities, SegmentScope scope, List<RowCondition> conditions) {

    /** Milvus' limit on topK. */
    public static final int MAX_TOP_K = 16_384;

    public SearchRequest {
        Objects.requireNonNull(collectionOrAlias, "collectionOrAlias");
        Checks.identifier("tenant", tenant, VectorFields.MAX_TENANT_BYTES);
        Checks.vector("query vector", vector);
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new InvalidVectorDataException("topK must be in [1, " + MAX_TOP_K + "], was " + topK);
        }
        modalities = modalities == null ? Set.of() : Set.copyOf(modalities);
        modalities.forEach(m -> Checks.identifier("modality", m, VectorFields.MAX_MODALITY_BYTES));
        scope = scope == null ? SegmentScope.ALL : scope;
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    public SearchRequest(String collectionOrAlias, String tenant, float[] vector, int topK, Set<String> modalities,
                         SegmentScope scope) {
        this(collectionOrAlias, tenant, vector, topK, modalities, scope, List.of());
    }

    /** All modalities, all rows. */
    public static SearchRequest of(String collectionOrAlias, String tenant, float[] vector, int topK) {
        return new SearchRequest(collectionOrAlias, tenant, vector, topK, Set.of(), SegmentScope.ALL);
    }

    public SearchRequest withModalities(Set<String> newModalities) {
        return new SearchRequest(collectionOrAlias, tenant, vector, topK, newModalities, scope, conditions);
    }

    public SearchRequest withScope(SegmentScope newScope) {
        return new SearchRequest(collectionOrAlias, tenant, vector, topK, modalities, newScope, conditions);
    }

    public SearchRequest withConditions(List<RowCondition> newConditions) {
        return new SearchRequest(collectionOrAlias, tenant, vector, topK, modalities, scope, newConditions);
    }
}
