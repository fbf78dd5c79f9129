package io.tessera.serde;

import io.tessera.registry.RegistryConfig;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * The configuration keys of Tessera's Avro serde. They mirror Confluent's names, so configurations written for
 * Confluent's {@code KafkaAvroSerializer} carry over:
 * <ul>
 *   <li>the registry keys of {@link RegistryConfig} ({@value RegistryConfig#URL}, {@value RegistryConfig#BASIC_AUTH_USER_INFO},
 *       {@value RegistryConfig#BEARER_AUTH_TOKEN}, timeouts and retries)</li>
 *   <li>{@value #AUTO_REGISTER_SCHEMAS} (default {@code true}): the serializer registers its schema under the
 *       topic's subject. Production profiles set it to {@code false}: the serializer then only looks the schema's
 *       id up and fails with a message naming the subject when the schema was never registered (schemas are
 *       registered by the release pipeline, where the compatibility check gates them).</li>
 *   <li>{@value #SPECIFIC_AVRO_VALUE_TYPE} / {@value #SPECIFIC_AVRO_KEY_TYPE}: the generated class the deserializer
 *       reads into. When unset it reads into the class named by the writer's schema.</li>
 * </ul>
 */
public final class SerdeConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
    public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";

    private SerdeConfig() {
    }

    static boolean autoRegister(Map<String, ?> configs) {
        if (isTrue(configs.get(USE_LATEST_VERSION))) {
            throw new IllegalArgumentException("'" + USE_LATEST_VERSION + "' is not supported by Tessera's serde: set '"
                    + AUTO_REGISTER_SCHEMAS + "=false' to write with an already registered schema (looked up by content)");
        }
        Object value = configs.get(AUTO_REGISTER_SCHEMAS);
        return value == null || value.toString().isBlank() || parseBoolean(AUTO_REGISTER_SCHEMAS, value);
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Class<T> readerType(Map<String, ?> configs, boolean isKey) {
        String key = isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE;
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            return null;
        }
        Class<?> type;
        if (value instanceof Class<?> c) {
            type = c;
        } else {
            try {
                type = Class.forName(value.toString().trim(), true, classLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("'" + key + "' names class '" + value + "', which is not on the classpath", e);
            }
        }
        if (!SpecificRecord.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("'" + key + "' must name a generated Avro class (a SpecificRecord), was " + type.getName());
        }
        return (Class<T>) type;
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SerdeConfig.class.getClassLoader();
    }

    private static boolean isTrue(Object value) {
        return value != null && parseBoolean(USE_LATEST_VERSION, value);
    }

    private static boolean parseBoolean(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("'" + key + "' must be true or false, was '" + text + "'");
    }
}
