package io.tessera.vectorstore.internal;

import io.milvus.exception.ParamException;
import io.milvus.shaded.io.grpc.Status;
import io.milvus.shaded.io.grpc.StatusException;
import io.milvus.shaded.io.grpc.StatusRuntimeException;
import io.milvus.v2.exception.ErrorCode;
import io.milvus.v2.exception.MilvusClientException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Sorts SDK failures into what the store does about them.
 * <p>
 * Deliberately never looks at Milvus server error codes: Milvus Lite answers with legacy codes that the SDK cannot
 * map (its response handling then throws "Can't get the number of an unknown enum value" and loses the server's
 * message), and codes differ between server versions (docs/platform-notes.md). The order of evidence is:
 * <ol>
 *   <li>exception types in the cause chain: gRPC {@link StatusRuntimeException} with its status code (the SDK
 *       shades gRPC under {@code io.milvus.shaded}), socket and channel exceptions, the SDK's {@link ParamException}
 *       for input it rejects before sending;</li>
 *   <li>the SDK's own client-side category {@link ErrorCode#TIMEOUT} (its retry loop ran out) — a client verdict,
 *       not a server code;</li>
 *   <li>the message text, lower-cased, for server answers that carry one (not loaded, does not exist, already
 *       exists, not ready).</li>
 * </ol>
 * Anything unrecognised is permanent: retrying an unknown error forever would stall a partition silently, while a
 * permanent failure is visible (FAILED event, DLQ) and can be replayed.
 */
public final class ErrorClassifier {

    public enum Failure {
        /** No connection: Milvus down, restarting, refusing connections. Transient; the client is re-created. */
        UNREACHABLE(true),
        /** The call ran past its deadline (the SDK waits for a connection while Milvus is down). Transient. */
        TIMEOUT(true),
        /** The collection is released (after a Milvus restart). Transient once the store loads it. */
        NOT_LOADED(true),
        /**
         * The server refused the call but the SDK could not read why (Milvus Lite's legacy codes). The store checks
         * whether the collection is released before it gives up; otherwise permanent.
         */
        UNREADABLE_SERVER_ERROR(false),
        NOT_FOUND(false),
        ALREADY_EXISTS(false),
        /** Input rejected (wrong dimension, bad field value). */
        INVALID_INPUT(false),
        OTHER(false);

        private final boolean isTransient;

        Failure(boolean isTransient) {
            this.isTransient = isTransient;
        }

        public boolean isTransient() {
            return isTransient;
        }
    }

    public static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Status status = grpcStatus(t);
            if (status != null) {
                Failure byStatus = byStatus(status, t.getMessage());
                if (byStatus != null) {
                    return byStatus;
                }
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof ClosedChannelException || t instanceof SocketException) {
                return Failure.UNREACHABLE;
            }
            if (t instanceof ParamException) {
                return Failure.INVALID_INPUT;
            }
            if (t instanceof MilvusClientException m && m.getErrorCode() == ErrorCode.TIMEOUT) {
                return Failure.TIMEOUT;
            }
        }
        return byMessage(allMessages(failure));
    }

    private static Status grpcStatus(Throwable t) {
        if (t instanceof StatusRuntimeException e) {
            return e.getStatus();
        }
        if (t instanceof StatusException e) {
            return e.getStatus();
        }
        return null;
    }

    private static Failure byStatus(Status status, String message) {
        return switch (status.getCode()) {
            case UNAVAILABLE, CANCELLED, ABORTED -> Failure.UNREACHABLE;
            case DEADLINE_EXCEEDED -> Failure.TIMEOUT;
            // Overload: back off and retry.
            case RESOURCE_EXHAUSTED -> Failure.TIMEOUT;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> Failure.INVALID_INPUT;
            case NOT_FOUND -> Failure.NOT_FOUND;
            case ALREADY_EXISTS -> Failure.ALREADY_EXISTS;
            // UNKNOWN and INTERNAL often wrap a transport failure (e.g. "io exception"): let the message decide.
            case UNKNOWN, INTERNAL -> byMessage(message == null ? "" : message.toLowerCase(Locale.ROOT)) == Failure.UNREACHABLE
                    ? Failure.UNREACHABLE : null;
            default -> Failure.OTHER;
        };
    }

    private static Failure byMessage(String m) {
        if (m.contains("not loaded") || m.contains("collection released") || m.contains("has been released")) {
            return Failure.NOT_LOADED;
        }
        if (m.contains("unknown enum value")) {
            return Failure.UNREADABLE_SERVER_ERROR;
        }
        if (m.contains("connection refused") || m.contains("io exception") || m.contains("channel shutdown")
                || m.contains("connection reset") || m.contains("broken pipe") || m.contains("unavailable")
                || m.contains("not ready") || m.contains("is stopping") || m.contains("shutting down")
                || m.contains("restarting")) {
            return Failure.UNREACHABLE;
        }
        if (m.contains("deadline exceeded") || m.contains("timed out") || m.contains("timeout")) {
            return Failure.TIMEOUT;
        }
        if (m.contains("already exist")) {
            return Failure.ALREADY_EXISTS;
        }
        // Milvus Lite says "collection: 'x' doesn't exist in database"; full Milvus "... not found" or "can't find".
        if (m.contains("does not exist") || m.contains("doesn't exist") || m.contains("not exist")
                || m.contains("not found") || m.contains("can't find")) {
            return Failure.NOT_FOUND;
        }
        if (m.contains("dimension") || m.contains("invalid") || m.contains("illegal") || m.contains("cannot parse")
                || m.contains("failed to parse")) {
            return Failure.INVALID_INPUT;
        }
        return Failure.OTHER;
    }

    private static String allMessages(Throwable failure) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                sb.append(t.getMessage()).append(" | ");
            }
            if (t instanceof IOException && t.getMessage() == null) {
                sb.append("io exception | ");
            }
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    private ErrorClassifier() {
    }
}
