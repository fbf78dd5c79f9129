package io.tessera.serde;

/**
 * The provenance headers of a dead-lettered record. The names are SmallRye Reactive Messaging's
 * ({@code KafkaDeadLetterQueue}), so records dead-lettered by a SmallRye channel and by
 * {@link DeserializationFailure#toDeadLetter} look the same; {@link #SERVICE} is Tessera's addition.
 */
public final class DeadLetterHeaders {

    /** What was wrong, in words a person can act on. */
    public static final String REASON = "dead-letter-reason";
    /** The message of the underlying cause, when there is one. */
    public static final String CAUSE = "dead-letter-cause";
    /** The class of the exception that dead-lettered the record. */
    public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    /** The class of its cause. */
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";
    /** The topic the record was read from. */
    public static final String TOPIC = "dead-letter-topic";
    /** The partition it was read from. */
    public static final String PARTITION = "dead-letter-partition";
    /** Its offset there. */
    public static final String OFFSET = "dead-letter-offset";
    /** The service that dead-lettered it. */
    public static final String SERVICE = "dead-letter-service";
    /**
     * The machine-readable reason code (a reject reason or a poison-pill reason), beside the human
     * {@link #REASON}: the one name every Tessera service writes, so a dead letter reads the same whoever wrote it.
     */
    public static final String REASON_CODE = "dead-letter-reason-code";

    private DeadLetterHeaders() {
    }
}
