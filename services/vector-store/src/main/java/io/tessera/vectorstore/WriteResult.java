package io.tessera.vectorstore;

/**
 * What a write did.
 *
 * @param rowsWritten   rows upserted
 * @param staleDeleted  rows removed because their item no longer has that segment (as reported by the server)
 * @param indexedAt     the {@link VectorFields#INDEXED_AT} value written, epoch milliseconds
 */
public record WriteResult(long rowsWritten, long staleDeleted, long indexedAt) {
}
