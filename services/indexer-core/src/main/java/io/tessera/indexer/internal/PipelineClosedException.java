package io.tessera.indexer.internal;

/**
 * The pipeline stopped while a record was still waiting (for a dependency to come back, for a retry): the record
 * is left unfinished, so its offset is not committed and it is read again after the restart.
 */
public final class PipelineClosedException extends RuntimeException {

    public PipelineClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
