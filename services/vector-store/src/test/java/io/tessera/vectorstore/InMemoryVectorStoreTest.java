package io.tessera.vectorstore;

import io.tessera.vectorstore.testing.InMemoryVectorStore;

/** The in-memory store that other modules' unit tests use, held to the contract the Milvus store meets. */
class InMemoryVectorStoreTest extends VectorStoreContract {

    @Override
    protected VectorStore createStore() {
        return new InMemoryVectorStore();
    }
}
