package io.tessera.registry;

import io.tessera.registry.internal.AvroCompatibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in the process, for unit tests and {@code TopologyTestDriver} runs that have no registry
 * server: the serde uses it for {@code schema.registry.url=mock://<scope>}, as Confluent's serializers do.
 *
 * <p>It follows the Confluent rules that matter to Tessera: one global id per distinct schema, versions per
 * subject, compatibility enforced on registration (global default {@link CompatibilityLevel#BACKWARD}, Tessera's
 * rule), and the same exceptions as {@link SchemaRegistryClient}. Instances of one scope are shared by every
 * serializer and deserializer of the process; {@link #dropScope} forgets one.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private final Map<String, CompatibilityLevel> subjectCompatibility = new HashMap<>();
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private CompatibilityLevel globalCompatibility = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    /** The registry of a {@code mock://} scope, created on first use. */
    public static InMemorySchemaRegistry forScope(String scope) {
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistry());
    }

    /** Forgets a scope, so the next use of {@code mock://scope} starts empty. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (versions.contains(schema)) {
            return idsBySchema.get(schema);
        }
        List<String> problems = AvroCompatibility.problems(compatibility(subject), schema, versions);
        if (!problems.isEmpty()) {
            if (versions.isEmpty()) {
                versionsBySubject.remove(subject);
            }
            throw new IncompatibleSchemaException(409, 409, "Schema being registered is incompatible with an earlier"
                    + " schema for subject \"" + subject + "\": " + problems);
        }
        versions.add(schema);
        return idsBySchema.computeIfAbsent(schema, s -> {
            int id = nextId++;
            schemasById.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized int lookupId(String subject, Schema schema) {
        List<Schema> versions = requireSubject(subject);
        if (!versions.contains(schema)) {
            throw new SchemaNotFoundException(404, 40403, "Schema not found under subject \"" + subject + "\"");
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException(404, 40403, "Schema " + id + " not found");
        }
        return schema;
    }

    @Override
    public synchronized SchemaVersion latestVersion(String subject) {
        List<Schema> versions = requireSubject(subject);
        Schema latest = versions.get(versions.size() - 1);
        return new SchemaVersion(subject, versions.size(), idsBySchema.get(latest), latest);
    }

    @Override
    public synchronized CompatibilityResult checkCompatibility(String subject, Schema schema) {
        List<String> problems = AvroCompatibility.problems(compatibility(subject), schema, requireSubject(subject));
        return new CompatibilityResult(problems.isEmpty(), problems);
    }

    @Override
    public synchronized void setCompatibility(CompatibilityLevel level) {
        globalCompatibility = level;
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        subjectCompatibility.put(subject, level);
    }

    @Override
    public synchronized CompatibilityLevel compatibility(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    private List<Schema> requireSubject(String subject) {
        List<Schema> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SubjectNotFoundException(404, 40401, "Subject \"" + subject + "\" not found");
        }
        return versions;
    }
}
