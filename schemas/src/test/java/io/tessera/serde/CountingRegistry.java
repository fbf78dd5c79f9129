package io.tessera.serde;

import io.tessera.registry.CompatibilityLevel;
import io.tessera.registry.CompatibilityResult;
import io.tessera.registry.InMemorySchemaRegistry;
import io.tessera.registry.SchemaRegistry;
import io.tessera.registry.SchemaVersion;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** An in-memory registry that counts the calls the serde makes, to show what is cached. */
final class CountingRegistry implements SchemaRegistry {

    final InMemorySchemaRegistry delegate = new InMemorySchemaRegistry();
    final AtomicInteger registers = new AtomicInteger();
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger fetches = new AtomicInteger();
    volatile boolean unavailable;

    @Override
    public int register(String subject, Schema schema) {
        registers.incrementAndGet();
        failIfUnavailable();
        return delegate.register(subject, schema);
    }

    @Override
    public int lookupId(String subject, Schema schema) {
        lookups.incrementAndGet();
        failIfUnavailable();
        return delegate.lookupId(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
        fetches.incrementAndGet();
        failIfUnavailable();
        return delegate.schemaById(id);
    }

    @Override
    public SchemaVersion latestVersion(String subject) {
        return delegate.latestVersion(subject);
    }

    @Override
    public CompatibilityResult checkCompatibility(String subject, Schema schema) {
        return delegate.checkCompatibility(subject, schema);
    }

    @Override
    public void setCompatibility(CompatibilityLevel level) {
        delegate.setCompatibility(level);
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        delegate.setCompatibility(subject, level);
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
        return delegate.compatibility(subject);
    }

    private void failIfUnavailable() {
        if (unavailable) {
            throw new io.tessera.registry.RegistryUnavailableException("registry down (test)", new java.net.ConnectException());
        }
    }
}
