package io.tessera.vectorstore.internal;

import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.response.DescribeCollectionResp;
import io.tessera.vectorstore.IndexType;
import io.tessera.vectorstore.ModelSpec;
import io.tessera.vectorstore.SchemaMismatchException;
import io.tessera.vectorstore.VectorFields;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Milvus schema of a Tessera collection, how the model is recorded in it, and how both are checked. */
public final class CollectionLayout {

    /** Collection properties that record the model version (readable back through describeCollection). */
    public static final String PROP_MODEL_NAME = "tessera.model.name";
    public static final String PROP_MODEL_VERSION = "tessera.model.version";
    public static final String PROP_MODEL_DIMENSION = "tessera.model.dimension";
    /**
     * Bumped when the field layout changes. 2 added {@link VectorFields#PASSAGE}; layout 1 collections stay usable
     * (the passage then travels in the dynamic field), so nothing is checked against it.
     */
    public static final String PROP_LAYOUT = "tessera.layout";
    public static final String LAYOUT_VERSION = "2";

    static CreateCollectionReq createRequest(String collection, ModelSpec model, IndexType indexType) {
        return createRequest(collection, model, indexType, true);
    }

    /** @param withPassage false only to make a layout 1 collection, as older versions did (for tests) */
    static CreateCollectionReq createRequest(String collection, ModelSpec model, IndexType indexType,
                                             boolean withPassage) {
        CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder()
                .enableDynamicField(true).build();
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.PK).dataType(DataType.VarChar)
                .maxLength(VectorFields.MAX_PK_BYTES).isPrimaryKey(true).autoID(false).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.MEDIA_ID).dataType(DataType.VarChar)
                .maxLength(VectorFields.MAX_MEDIA_ID_BYTES).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.TENANT).dataType(DataType.VarChar)
                .maxLength(VectorFields.MAX_TENANT_BYTES).isPartitionKey(true).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.MODALITY).dataType(DataType.VarChar)
                .maxLength(VectorFields.MAX_MODALITY_BYTES).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.SEGMENT).dataType(DataType.Int32).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.START_MS).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.END_MS).dataType(DataType.Int64).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.VECTOR).dataType(DataType.FloatVector)
                .dimension(model.dimension()).build());
        schema.addField(AddFieldReq.builder().fieldName(VectorFields.INDEXED_AT).dataType(DataType.Int64).build());
        if (withPassage) {
            schema.addField(AddFieldReq.builder().fieldName(VectorFields.PASSAGE).dataType(DataType.VarChar)
                    .maxLength(VectorFields.MAX_PASSAGE_BYTES).build());
        }

        Map<String, String> properties = new HashMap<>();
        properties.put(PROP_MODEL_NAME, model.name());
        properties.put(PROP_MODEL_VERSION, Integer.toString(model.version()));
        properties.put(PROP_MODEL_DIMENSION, Integer.toString(model.dimension()));
        properties.put(PROP_LAYOUT, withPassage ? LAYOUT_VERSION : "1");

        // The index goes inside createCollection: Milvus Lite hangs on createIndex with sync=true (docs/platform-notes.md),
        // and a collection created with its index is loaded at once.
        return CreateCollectionReq.builder()
                .collectionName(collection)
                .description("Tessera vectors of model " + model.name() + " version " + model.version()
                        + " (dimension " + model.dimension() + ")")
                .collectionSchema(schema)
                .indexParams(List.of(vectorIndex(indexType)))
                .properties(properties)
                .build();
    }

    static IndexParam vectorIndex(IndexType indexType) {
        IndexParam.IndexParamBuilder b = IndexParam.builder()
                .fieldName(VectorFields.VECTOR)
                .indexName(VectorFields.VECTOR + "_idx")
                .metricType(IndexParam.MetricType.COSINE);
        return switch (indexType) {
            case AUTOINDEX -> b.indexType(IndexParam.IndexType.AUTOINDEX).build();
            case HNSW -> b.indexType(IndexParam.IndexType.HNSW).extraParams(Map.of("M", 16, "efConstruction", 200)).build();
            case IVF_FLAT -> b.indexType(IndexParam.IndexType.IVF_FLAT).extraParams(Map.of("nlist", 128)).build();
            case FLAT -> b.indexType(IndexParam.IndexType.FLAT).build();
        };
    }

    /**
     * Search-time parameters matching the index. HNSW (and AUTOINDEX, which is HNSW in Milvus Lite with faiss and on a
     * standalone server) gets a wide candidate list: Tessera's searches are filtered (tenant, modality) and often
     * cross-modal, so the query vector lands in another modality's part of the graph (a text query among text rows)
     * while the filter keeps only images. With faiss' default efSearch of 64 the best image was then never reached:
     * in the demo's collection (~1,500 rows) "a cat" missed the cat photo (cosine 0.39) and returned shapes at 0.15.
     */
    static Map<String, Object> searchParams(IndexType indexType, int topK) {
        int ef = Math.max(256, 16 * topK);
        return switch (indexType) {
            case HNSW, AUTOINDEX -> Map.of("ef", ef);
            case IVF_FLAT -> Map.of("nprobe", 16);
            case FLAT -> Map.of();
        };
    }

    /** The model recorded in a collection; empty when the collection was not made by Tessera. */
    static Optional<ModelSpec> recordedModel(DescribeCollectionResp d) {
        Map<String, String> p = d.getProperties() == null ? Map.of() : d.getProperties();
        String name = p.get(PROP_MODEL_NAME);
        String version = p.get(PROP_MODEL_VERSION);
        String dimension = p.get(PROP_MODEL_DIMENSION);
        if (name == null || version == null || dimension == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ModelSpec(name, Integer.parseInt(version), Integer.parseInt(dimension)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Throws naming every difference between an existing collection and what {@code expected} needs. */
    static ModelSpec verify(DescribeCollectionResp d, Optional<ModelSpec> expected) {
        List<String> problems = new ArrayList<>();
        Map<String, CreateCollectionReq.FieldSchema> fields = new HashMap<>();
        if (d.getCollectionSchema() != null) {
            for (CreateCollectionReq.FieldSchema f : d.getCollectionSchema().getFieldSchemaList()) {
                fields.put(f.getName(), f);
            }
        }
        expectField(fields, VectorFields.PK, DataType.VarChar, problems);
        expectField(fields, VectorFields.MEDIA_ID, DataType.VarChar, problems);
        expectField(fields, VectorFields.TENANT, DataType.VarChar, problems);
        expectField(fields, VectorFields.MODALITY, DataType.VarChar, problems);
        expectField(fields, VectorFields.SEGMENT, DataType.Int32, problems);
        expectField(fields, VectorFields.START_MS, DataType.Int64, problems);
        expectField(fields, VectorFields.END_MS, DataType.Int64, problems);
        expectField(fields, VectorFields.VECTOR, DataType.FloatVector, problems);
        expectField(fields, VectorFields.INDEXED_AT, DataType.Int64, problems);
        // Optional: collections of layout 1 have no passage field and keep passages in the dynamic field.
        CreateCollectionReq.FieldSchema passage = fields.get(VectorFields.PASSAGE);
        if (passage != null && passage.getDataType() != DataType.VarChar) {
            problems.add("field " + VectorFields.PASSAGE + " is " + passage.getDataType() + ", expected VarChar");
        }
        CreateCollectionReq.FieldSchema pk = fields.get(VectorFields.PK);
        if (pk != null && !Boolean.TRUE.equals(pk.getIsPrimaryKey())) {
            problems.add("field pk is not the primary key");
        }
        CreateCollectionReq.FieldSchema tenant = fields.get(VectorFields.TENANT);
        if (tenant != null && !Boolean.TRUE.equals(tenant.getIsPartitionKey())) {
            problems.add("field tenant is not the partition key");
        }
        if (!Boolean.TRUE.equals(d.getEnableDynamicField())) {
            problems.add("the dynamic field is disabled");
        }
        Optional<ModelSpec> recorded = recordedModel(d);
        if (recorded.isEmpty()) {
            problems.add("no model recorded in properties " + PROP_MODEL_NAME + "/" + PROP_MODEL_VERSION + "/" + PROP_MODEL_DIMENSION);
        }
        CreateCollectionReq.FieldSchema vector = fields.get(VectorFields.VECTOR);
        Integer actualDim = vector == null ? null : vector.getDimension();
        recorded.ifPresent(r -> {
            if (actualDim != null && actualDim != r.dimension()) {
                problems.add("vector dimension " + actualDim + " differs from the recorded model dimension " + r.dimension());
            }
        });
        expected.ifPresent(e -> {
            if (recorded.isPresent() && !recorded.get().equals(e)) {
                problems.add("it records model " + describe(recorded.get()) + " but " + describe(e) + " was expected");
            }
            if (actualDim != null && actualDim != e.dimension()) {
                problems.add("vector dimension is " + actualDim + " but model " + describe(e) + " needs " + e.dimension());
            }
        });
        if (!problems.isEmpty()) {
            throw new SchemaMismatchException("collection " + d.getCollectionName() + " does not have Tessera's layout: "
                    + String.join("; ", problems) + ". Drop it or use another collection prefix.");
        }
        return recorded.orElseThrow();
    }

    private static void expectField(Map<String, CreateCollectionReq.FieldSchema> fields, String name, DataType type,
                                    List<String> problems) {
        CreateCollectionReq.FieldSchema f = fields.get(name);
        if (f == null) {
            problems.add("field " + name + " is missing");
        } else if (f.getDataType() != type) {
            problems.add("field " + name + " is " + f.getDataType() + ", expected " + type);
        }
    }

    private static String describe(ModelSpec m) {
        return m.name() + " v" + m.version() + " (dimension " + m.dimension() + ")";
    }

    private CollectionLayout() {
    }
}
