package io.tessera.vectorstore;

/**
 * A Tessera collection and the model version recorded in it.
 *
 * @param collection the real collection name (never an alias)
 * @param alias      the model's alias name (it may point at this collection or another version)
 * @param model      the model version that made the collection
 */
public record ModelCollection(String collection, String alias, ModelSpec model) {
}
