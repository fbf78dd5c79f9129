/**
 * A minimal client for Confluent-compatible schema registries ({@link io.tessera.registry.SchemaRegistryClient}),
 * an in-memory registry for tests, and the typed failures: {@link io.tessera.registry.RegistryUnavailableException}
 * (transient) and {@link io.tessera.registry.RegistryRequestException} with subtypes per Confluent error code.
 */
package io.tessera.registry;
