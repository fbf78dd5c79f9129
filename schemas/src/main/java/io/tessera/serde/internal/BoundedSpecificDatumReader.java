package io.tessera.serde.internal;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A {@link SpecificDatumReader} that does not trust the item counts in the data when sizing collections.
 *
 * <p>Avro allocates an array or map with the capacity the block header claims before reading a single item, so a
 * garbage or hostile record claiming a billion items makes it allocate gigabytes. Here collections start small
 * and grow as items are actually read; a count the bytes cannot back ends in an EOF, a poison pill, instead.
 */
public final class BoundedSpecificDatumReader<T> extends SpecificDatumReader<T> {

    private static final int MAX_INITIAL_CAPACITY = 1024;

    public BoundedSpecificDatumReader(Schema writer, Schema reader, SpecificData model) {
        super(writer, reader, model);
    }

    @Override
    protected Object newArray(Object old, int size, Schema schema) {
        return super.newArray(old, Math.min(size, MAX_INITIAL_CAPACITY), schema);
    }

    @Override
    protected Object newMap(Object old, int size) {
        return super.newMap(old, Math.min(size, MAX_INITIAL_CAPACITY));
    }
}
