package io.tessera.vectorstore.internal;

import io.milvus.exception.ParamException;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;
import io.tessera.vectorstore.internal.ErrorClassifier.Failure;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exceptions below have the shapes the SDK 2.6.22 produced against Milvus Lite 3.2.0 (see the ITs). */
class ErrorClassifierTest {

    @Test
    void unavailableAndConnectionFailuresAreTransientUnreachable() {
        assertEquals(Failure.UNREACHABLE, ErrorClassifier.classify(rpc(Status.UNAVAILABLE.withDescription("io exception"))));
        assertEquals(Failure.UNREACHABLE, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.CLIENT_ERROR, new RuntimeException("wrapped", new ConnectException("Connection refused")))));
        assertEquals(Failure.UNREACHABLE, ErrorClassifier.classify(rpc(Status.UNKNOWN.withDescription("channel shutdown invoked"))));
        assertEquals(Failure.UNREACHABLE, ErrorClassifier.classify(new MilvusClientException(ErrorCode.SERVER_ERROR, "server is not ready, retry later", 0, 0)));
        assertTrue(Failure.UNREACHABLE.isTransient());
    }

    @Test
    void deadlinesAreTransientTimeouts() {
        // What a call blocked on a down server ends with: the SDK waits for the connection until the deadline.
        StatusRuntimeException waiting = new StatusRuntimeException(Status.DEADLINE_EXCEEDED.withDescription(
                "deadline exceeded after 4.99s. [wait_for_ready, waiting_for_connection]"));
        assertEquals(Failure.TIMEOUT, ErrorClassifier.classify(new MilvusClientException(ErrorCode.RPC_ERROR, waiting)));
        // The client constructor throws the shaded gRPC exception unwrapped.
        assertEquals(Failure.TIMEOUT, ErrorClassifier.classify(waiting));
        assertEquals(Failure.TIMEOUT, ErrorClassifier.classify(new MilvusClientException(ErrorCode.TIMEOUT, "Retry timeout: 1000ms")));
        assertTrue(Failure.TIMEOUT.isTransient());
    }

    @Test
    void notLoadedIsTransient() {
        assertEquals(Failure.NOT_LOADED, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.SERVER_ERROR, "collection not loaded[collection=123]", 101, 0)));
        assertTrue(Failure.NOT_LOADED.isTransient());
    }

    @Test
    void milvusLitesUnreadableLegacyCodesAreRecognisedWithoutReadingAnyCode() {
        MilvusClientException lite = new MilvusClientException(ErrorCode.CLIENT_ERROR,
                new IllegalArgumentException("Can't get the number of an unknown enum value."));
        assertEquals(Failure.UNREADABLE_SERVER_ERROR, ErrorClassifier.classify(lite));
        assertFalse(Failure.UNREADABLE_SERVER_ERROR.isTransient());
    }

    @Test
    void serverAnswersAreSortedByTheirMessage() {
        assertEquals(Failure.NOT_FOUND, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.SERVER_ERROR, "collection 'nope' does not exist", 100, 4)));
        assertEquals(Failure.NOT_FOUND, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.SERVER_ERROR, "alias 'x' does not exist", 100, 4)));
        // Milvus Lite 3.2's wording (a count on a dropped collection: it was a permanent error, not CollectionNotFound).
        assertEquals(Failure.NOT_FOUND, ErrorClassifier.classify(new MilvusClientException(ErrorCode.SERVER_ERROR,
                "collection: 'gone_v1' doesn't exist in database: 'null'", 1, 0)));
        assertEquals(Failure.ALREADY_EXISTS, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.SERVER_ERROR, "collection 'c' already exists", 1, 1)));
        assertEquals(Failure.OTHER, ErrorClassifier.classify(
                new MilvusClientException(ErrorCode.SERVER_ERROR, "expected ']' or ',' got 'x' at column 23", 2, 0)));
    }

    @Test
    void inputTheSdkRejectsIsInvalidInput() {
        MilvusClientException dim = new MilvusClientException(ErrorCode.CLIENT_ERROR, new ParamException(
                "Incorrect dimension for field 'vector': dimension: 3 is not equal to field's dimension: 4"));
        assertEquals(Failure.INVALID_INPUT, ErrorClassifier.classify(dim));
        assertEquals(Failure.INVALID_INPUT, ErrorClassifier.classify(rpc(Status.INVALID_ARGUMENT)));
        assertFalse(Failure.INVALID_INPUT.isTransient());
    }

    @Test
    void unknownFailuresArePermanent() {
        assertEquals(Failure.OTHER, ErrorClassifier.classify(new IllegalStateException("something else")));
        assertEquals(Failure.OTHER, ErrorClassifier.classify(rpc(Status.UNAUTHENTICATED)));
        assertEquals(Failure.OTHER, ErrorClassifier.classify(rpc(Status.PERMISSION_DENIED)));
    }

    private static MilvusClientException rpc(Status status) {
        return new MilvusClientException(ErrorCode.RPC_ERROR, new StatusRuntimeException(status));
    }
}
