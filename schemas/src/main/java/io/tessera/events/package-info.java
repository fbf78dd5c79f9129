/**
 * Tessera's event contracts: the classes generated from {@code schemas/src/main/avro/*.avsc}, the topic names
 * ({@link io.tessera.events.Topics}) and the portable schema form other languages use
 * ({@link io.tessera.events.EventSchemas}). Every module uses these classes; none keeps a copy of the model.
 */
package io.tessera.events;
