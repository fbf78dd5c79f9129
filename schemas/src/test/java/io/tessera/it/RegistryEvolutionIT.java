package io.tessera.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.events.EventSchemas;
import io.tessera.events.MediaArrived;
import io.tessera.events.ReleasedSchemas;
import io.tessera.registry.CompatibilityLevel;
import io.tessera.registry.CompatibilityResult;
import io.tessera.registry.IncompatibleSchemaException;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.RegistryUnavailableException;
import io.tessera.registry.SchemaNotFoundException;
import io.tessera.registry.SchemaRegistryClient;
import io.tessera.registry.SchemaVersion;
import io.tessera.registry.SubjectNotFoundException;
import io.tessera.testing.LocalStackExtension;
import io.tessera.testing.StackEndpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our registry client against the real registry (Apicurio's Confluent API), and its BACKWARD rule in action. */
@ExtendWith(LocalStackExtension.class)
class RegistryEvolutionIT {

    private SchemaRegistryClient client;
    private final List<String> subjects = new ArrayList<>();

    @BeforeEach
    void connect(StackEndpoints stack) {
        client = new SchemaRegistryClient(RegistryConfig.of(stack.registryUrl()));
    }

    @AfterEach
    void cleanUp() {
        for (String subject : subjects) {
            try {
                client.deleteSubject(subject);
            } catch (RuntimeException ignored) {
                // Best effort: subjects are unique per test anyway.
            }
        }
        client.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MediaArrived", "MediaIndexed", "CuratedPair", "ModelVersion"})
    void theRegistryAcceptsTheCurrentSchemaAfterTheReleasedOneAndRejectsABreakingChangeWith409(String event) throws Exception {
        String subject = subject(event);
        client.setCompatibility(subject, CompatibilityLevel.BACKWARD);
        int released = client.register(subject, ReleasedSchemas.released(event));
        Schema current = EventSchemas.portable(EventSchemas.TOP_LEVEL.get(event));
        Schema breaking = withRequiredField(current, "priority");

        int currentId = client.register(subject, current);
        CompatibilityResult verdict = client.checkCompatibility(subject, breaking);

        assertThat(currentId).isEqualTo(current.equals(ReleasedSchemas.released(event)) ? released : currentId);
        assertThat(verdict.compatible()).isFalse();
        assertThatThrownBy(() -> client.register(subject, breaking))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> assertThat(e.httpStatus()).isEqualTo(409));
    }

    @Test
    void registerLookupFetchAndLatestAgreeWithTheRegistry() {
        String subject = subject("roundtrip");
        Schema schema = EventSchemas.portable(MediaArrived.getClassSchema());

        int id = client.register(subject, schema);
        SchemaVersion latest = client.latestVersion(subject);
        SchemaRegistryClient fresh = new SchemaRegistryClient(client.config());

        assertThat(fresh.lookupId(subject, schema)).isEqualTo(id);
        assertThat(fresh.schemaById(id)).isEqualTo(schema);
        assertThat(latest.id()).isEqualTo(id);
        assertThat(latest.version()).isEqualTo(1);
        assertThat(latest.schema()).isEqualTo(schema);
        fresh.close();
    }

    @Test
    void theRegistrysErrorCodesBecomeTypedExceptions() {
        String subject = subject("errors");
        Schema schema = EventSchemas.portable(MediaArrived.getClassSchema());

        assertThatThrownBy(() -> client.lookupId(subject, schema))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401));
        assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE - 7))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasCauseInstanceOf(SchemaNotFoundException.class);
        try (SchemaRegistryClient noGrace = new SchemaRegistryClient(client.config().withUnknownIdGrace(Duration.ZERO))) {
            assertThatThrownBy(() -> noGrace.schemaById(Integer.MAX_VALUE - 7))
                    .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40403));
        }
    }

    @Test
    void aSubjectsCompatibilityCanBeSetAndRead() {
        String subject = subject("config");
        client.register(subject, EventSchemas.portable(MediaArrived.getClassSchema()));

        client.setCompatibility(subject, CompatibilityLevel.FULL);

        assertThat(client.compatibility(subject)).isEqualTo(CompatibilityLevel.FULL);
    }

    private String subject(String name) {
        String subject = KafkaTopics.unique("it-" + name) + "-value";
        subjects.add(subject);
        return subject;
    }

    private static Schema withRequiredField(Schema record, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : record.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.INT), "no default: BACKWARD-incompatible"));
        return new Schema.Parser().parse(Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields).toString());
    }
}
