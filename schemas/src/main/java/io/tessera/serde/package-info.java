/**
 * Kafka serde for Tessera's Avro events in the Confluent wire format (magic byte 0, 4-byte big-endian schema id,
 * Avro binary), with TopicNameStrategy subjects.
 *
 * <h2>Plain Kafka clients</h2>
 * <pre>
 * value.serializer=io.tessera.serde.SpecificAvroSerializer
 * value.deserializer=io.tessera.serde.SpecificAvroDeserializer
 * specific.avro.value.type=io.tessera.events.MediaArrived
 * schema.registry.url=http://127.0.0.1:8081/apis/ccompat/v7
 * auto.register.schemas=false          # production: schemas are registered by the release pipeline
 * </pre>
 *
 * <h2>Kafka Streams</h2>
 * {@link io.tessera.serde.SpecificAvroSerde}; deserialization failures reach the
 * {@code DeserializationExceptionHandler}: build a {@link io.tessera.serde.DeserializationFailure} from the raw record.
 *
 * <h2>Quarkus / SmallRye Reactive Messaging</h2>
 * No extension is needed: the classes are plain Kafka (de)serializers and SmallRye hands every channel attribute
 * to the Kafka client. Quarkus applies {@code kafka.*} properties to every channel, which is the place for the
 * registry settings:
 * <pre>
 * kafka.schema.registry.url=${TESSERA_REGISTRY_URL:http://127.0.0.1:8081/apis/ccompat/v7}
 * %prod.kafka.auto.register.schemas=false
 *
 * mp.messaging.incoming.arrived.connector=smallrye-kafka
 * mp.messaging.incoming.arrived.topic=media.arrived
 * mp.messaging.incoming.arrived.value.deserializer=io.tessera.serde.SpecificAvroDeserializer
 * mp.messaging.incoming.arrived.specific.avro.value.type=io.tessera.events.MediaArrived
 * mp.messaging.incoming.arrived.fail-on-deserialization-failure=false
 * mp.messaging.incoming.arrived.failure-strategy=dead-letter-queue
 * mp.messaging.incoming.arrived.dead-letter-queue.topic=media.dlq
 *
 * mp.messaging.outgoing.indexed.connector=smallrye-kafka
 * mp.messaging.outgoing.indexed.topic=media.indexed
 * mp.messaging.outgoing.indexed.value.serializer=io.tessera.serde.SpecificAvroSerializer
 * </pre>
 * (Quarkus would otherwise guess a serializer for Avro types and pick Confluent's or Apicurio's, which are not on
 * the classpath: naming ours explicitly avoids that.) With {@code fail-on-deserialization-failure=false} a record
 * that failed arrives with a null payload; check
 * {@link io.tessera.serde.DeserializationFailure#isTransient(org.apache.kafka.common.header.Headers)}: a poison pill
 * is nacked (dead-lettered with the original bytes), a transient registry failure is not acknowledged and the
 * channel is failed so the record is read again once the registry is back.
 *
 * <p>In unit tests without a registry, {@code schema.registry.url=mock://<scope>} uses
 * {@link io.tessera.registry.InMemorySchemaRegistry}.
 */
package io.tessera.serde;
