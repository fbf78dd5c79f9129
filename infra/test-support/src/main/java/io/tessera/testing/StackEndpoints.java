package io.tessera.testing;

/**
 * Where the local stack answers.
 *
 * @param kafkaBootstrap e.g. {@code 127.0.0.1:9092}
 * @param registryUrl the Confluent-compatible API, e.g. {@code http://127.0.0.1:8081/apis/ccompat/v7}
 *                    (what Confluent serdes take as {@code schema.registry.url})
 * @param milvusUri e.g. {@code http://127.0.0.1:19530}
 */
public record StackEndpoints(String kafkaBootstrap, String registryUrl, String milvusUri) { }
