package io.tessera.stack;

/** The servers of the local stack. */
public enum StackPart {
    KAFKA("kafka", "Apache Kafka (KRaft)"),
    REGISTRY("registry", "Apicurio Registry"),
    MILVUS("milvus", "Milvus Lite"),
    OBJECTS("objects", "SeaweedFS (S3 API)");

    private final String id;
    private final String product;

    StackPart(String id, String product) {
        this.id = id;
        this.product = product;
    }

    /** The short name used on the command line and for pid and log files. */
    public String id() { return id; }

    public String product() { return product; }

    public static StackPart fromId(String id) {
        for (StackPart p : values()) {
            if (p.id.equalsIgnoreCase(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown stack part '" + id + "': use kafka, registry, milvus or objects");
    }
}
