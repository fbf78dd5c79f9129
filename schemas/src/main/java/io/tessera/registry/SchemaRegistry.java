package io.tessera.registry;

import org.apache.avro.Schema;

/**
 * The operations Tessera needs from a Confluent-compatible schema registry (Avro schemas only).
 *
 * <p>Implementations: {@link SchemaRegistryClient} speaks the Confluent REST API over HTTP(S);
 * {@link InMemorySchemaRegistry} keeps everything in the process for unit tests ({@code mock://} URLs).
 * Implementations are thread-safe and cache what never changes (ids and schemas).
 *
 * <p>Failures: {@link RegistryUnavailableException} when the registry cannot be reached or keeps answering 5xx
 * (transient, retry later); a {@link RegistryRequestException} subtype when it refused the request (permanent for
 * that request).
 */
public interface SchemaRegistry {

    /**
     * Registers a schema under a subject (or finds it there already) and returns its global id.
     *
     * @throws IncompatibleSchemaException when the subject's compatibility rule rejects the schema (409)
     * @throws InvalidSchemaException when the registry does not accept the schema text (42201)
     */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under a subject, without registering it.
     *
     * @throws SubjectNotFoundException when the subject has no versions (40401)
     * @throws SchemaNotFoundException when the subject exists but this schema is not one of its versions (40403)
     */
    int lookupId(String subject, Schema schema);

    /**
     * The schema with a global id.
     *
     * @throws SchemaNotFoundException when no schema has that id (40403)
     */
    Schema schemaById(int id);

    /**
     * The latest version registered under a subject.
     *
     * @throws SubjectNotFoundException when the subject has no versions (40401)
     */
    SchemaVersion latestVersion(String subject);

    /**
     * Whether a schema could be registered as the next version of a subject under its compatibility rule.
     *
     * @throws SubjectNotFoundException when the subject has no versions yet (40401): any valid schema may start it
     */
    CompatibilityResult checkCompatibility(String subject, Schema schema);

    /** Sets the registry-wide (global) compatibility rule. */
    void setCompatibility(CompatibilityLevel level);

    /** Sets a subject's compatibility rule, which overrides the global one for that subject. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** The compatibility rule in force for a subject: its own, or the global one when it has none. */
    CompatibilityLevel compatibility(String subject);
}
