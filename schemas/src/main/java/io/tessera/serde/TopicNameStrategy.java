package io.tessera.serde;

/** Confluent's default subject naming: {@code <topic>-value} for record values, {@code <topic>-key} for keys. */
public final class TopicNameStrategy {

    private TopicNameStrategy() {
    }

    public static String subject(String topic, boolean isKey) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("A topic is required to name the subject (TopicNameStrategy)");
        }
        return topic + (isKey ? "-key" : "-value");
    }
}
