package io.tessera.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.v2.client.ConnectConfig;
import io.milvus.v2.client.MilvusClientV2;
import io.milvus.v2.common.DataType;
import io.milvus.v2.common.IndexParam;
import io.milvus.v2.service.collection.request.AddFieldReq;
import io.milvus.v2.service.collection.request.CreateCollectionReq;
import io.milvus.v2.service.collection.request.DropCollectionReq;
import io.milvus.v2.service.vector.request.SearchReq;
import io.milvus.v2.service.vector.request.UpsertReq;
import io.milvus.v2.service.vector.request.data.FloatVec;
import io.milvus.v2.service.vector.response.SearchResp;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the local stack is the real thing: a topic, an Avro schema registered through the Confluent
 * API, a record in the Confluent wire format produced and consumed back, and Milvus answering the
 * Java SDK (the full Milvus contract is tested in services/vector-store).
 */
@ExtendWith(LocalStackExtension.class)
class StackSmokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFLUENT_JSON = "application/vnd.schemaregistry.v1+json";
    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"SmokeEvent","namespace":"io.tessera.e2e",
             "fields":[{"name":"id","type":"string"},{"name":"size","type":"long"}]}""");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void avroRecordRegisteredThroughConfluentApiRoundTripsThroughKafka(StackEndpoints stack) throws Exception {
        String topic = "smoke." + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
            assertTrue(admin.listTopics().names().get().contains(topic));
        }

        int schemaId = register(stack.registryUrl(), topic + "-value", SCHEMA);
        assertEquals(SCHEMA, Schema.parse(JSON.readTree(get(stack.registryUrl() + "/schemas/ids/" + schemaId)).get("schema").asText()),
                "the registry returns the schema it registered under that id");
        assertEquals("BACKWARD", JSON.readTree(get(stack.registryUrl() + "/config")).get("compatibilityLevel").asText(),
                "stack up sets global compatibility to BACKWARD");

        GenericRecord event = new GenericData.Record(SCHEMA);
        event.put("id", "item-1");
        event.put("size", 42L);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(topic, "item-1", confluentWireFormat(schemaId, event))).get();
        }

        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "smoke-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                return !received.isEmpty();
            });
        }
        assertEquals(1, received.size());
        ByteBuffer value = ByteBuffer.wrap(received.get(0).value());
        assertEquals(0, value.get(), "magic byte");
        int idOnWire = value.getInt();
        assertEquals(schemaId, idOnWire);
        Schema writer = Schema.parse(JSON.readTree(get(stack.registryUrl() + "/schemas/ids/" + idOnWire)).get("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(value.array(), value.position(), value.remaining(), null));
        assertEquals("item-1", decoded.get("id").toString());
        assertEquals(42L, decoded.get("size"));
    }

    @Test
    void incompatibleSchemaChangeIsRejectedWith409(StackEndpoints stack) throws Exception {
        String subject = "smoke." + UUID.randomUUID() + "-value";
        register(stack.registryUrl(), subject, SCHEMA);
        // A new required field without a default breaks BACKWARD compatibility.
        Schema breaking = new Schema.Parser().parse("""
                {"type":"record","name":"SmokeEvent","namespace":"io.tessera.e2e",
                 "fields":[{"name":"id","type":"string"},{"name":"size","type":"long"},{"name":"owner","type":"string"}]}""");
        HttpResponse<String> response = post(stack.registryUrl() + "/subjects/" + subject + "/versions", breaking);
        assertEquals(409, response.statusCode(), response.body());
    }

    @Test
    void milvusAnswersTheJavaSdk(StackEndpoints stack) {
        String collection = "smoke_" + UUID.randomUUID().toString().replace("-", "");
        MilvusClientV2 milvus = new MilvusClientV2(ConnectConfig.builder().uri(stack.milvusUri()).build());
        try {
            CreateCollectionReq.CollectionSchema schema = CreateCollectionReq.CollectionSchema.builder().build();
            schema.addField(AddFieldReq.builder().fieldName("pk").dataType(DataType.VarChar).maxLength(64).isPrimaryKey(true).build());
            schema.addField(AddFieldReq.builder().fieldName("tenant").dataType(DataType.VarChar).maxLength(64).isPartitionKey(true).build());
            schema.addField(AddFieldReq.builder().fieldName("vector").dataType(DataType.FloatVector).dimension(4).build());
            // Indexes go into createCollection: Milvus Lite's createIndex with sync=true hangs (docs/platform-notes.md).
            milvus.createCollection(CreateCollectionReq.builder().collectionName(collection).collectionSchema(schema)
                    .indexParams(List.of(IndexParam.builder().fieldName("vector").indexType(IndexParam.IndexType.AUTOINDEX)
                            .metricType(IndexParam.MetricType.COSINE).build()))
                    .build());
            assertTrue(milvus.listCollections().getCollectionNames().contains(collection));

            com.google.gson.JsonObject a = row("a", "t1", new float[] {1, 0, 0, 0});
            com.google.gson.JsonObject b = row("b", "t1", new float[] {0, 1, 0, 0});
            milvus.upsert(UpsertReq.builder().collectionName(collection).data(List.of(a, b)).build());
            SearchResp hits = milvus.search(SearchReq.builder().collectionName(collection)
                    .data(List.of(new FloatVec(new float[] {0.9f, 0.1f, 0, 0}))).topK(1).filter("tenant == \"t1\"").build());
            assertEquals("a", hits.getSearchResults().get(0).get(0).getId());
        } finally {
            milvus.dropCollection(DropCollectionReq.builder().collectionName(collection).build());
            milvus.close();
        }
    }

    private static com.google.gson.JsonObject row(String pk, String tenant, float[] vector) {
        com.google.gson.JsonObject row = new com.google.gson.JsonObject();
        row.addProperty("pk", pk);
        row.addProperty("tenant", tenant);
        com.google.gson.JsonArray v = new com.google.gson.JsonArray();
        for (float f : vector) {
            v.add(f);
        }
        row.add("vector", v);
        return row;
    }

    private int register(String registryUrl, String subject, Schema schema) throws Exception {
        HttpResponse<String> response = post(registryUrl + "/subjects/" + subject + "/versions", schema);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        return body.get("id").asInt();
    }

    private HttpResponse<String> post(String url, Schema schema) throws Exception {
        String body = JSON.writeValueAsString(Map.of("schemaType", "AVRO", "schema", schema.toString()));
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", CONFLUENT_JSON)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), url + " -> " + response.body());
        return response.body();
    }

    /** Magic byte 0, the 4-byte schema id, then Avro binary: what Confluent serializers write. */
    private static byte[] confluentWireFormat(int schemaId, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
        var encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
