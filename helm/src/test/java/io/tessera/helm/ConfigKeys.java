package io.tessera.helm;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** helm/tessera/config-keys.yaml: the environment contract between the chart and each service. */
record ConfigKeys(int schemaVersion, Map<String, List<Key>> groups, Map<String, ServiceKeys> services) {

    enum ReadBy {
        @JsonProperty("application") APPLICATION,
        @JsonProperty("launcher") LAUNCHER,
        @JsonProperty("library") LIBRARY,
        @JsonProperty("kubernetes") KUBERNETES
    }

    enum Source {
        @JsonProperty("value") VALUE,
        @JsonProperty("secret") SECRET,
        @JsonProperty("fieldRef") FIELD_REF,
        @JsonProperty("composed") COMPOSED
    }

    record Key(@JsonProperty(required = true) String env, String property,
               @JsonProperty(required = true) ReadBy readBy, @JsonProperty(required = true) boolean required,
               @JsonProperty(required = true) Source source, String when, @JsonProperty(required = true) String description) {
        Key {
            if (readBy == ReadBy.APPLICATION && (property == null || property.isBlank())) {
                throw new IllegalArgumentException(env + ": readBy application needs the property it maps to");
            }
            if (readBy != ReadBy.APPLICATION && property != null) {
                throw new IllegalArgumentException(env + ": only readBy application keys name a property");
            }
            if (!required && (when == null || when.isBlank())) {
                throw new IllegalArgumentException(env + ": an optional key says `when` the chart sets it");
            }
        }
    }

    record ServiceKeys(@JsonProperty(required = true) List<String> groups, List<Key> keys) {
    }

    static ConfigKeys load() {
        return load(Repo.configKeys());
    }

    static ConfigKeys load(Path file) {
        try {
            return YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build()
                    .readValue(file.toFile(), ConfigKeys.class);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** A service's keys by env name, its groups first, in file order; a name listed twice is an error. */
    Map<String, Key> forService(String service) {
        ServiceKeys sk = Optional.ofNullable(services.get(service))
                .orElseThrow(() -> new IllegalArgumentException("config-keys.yaml has no service " + service));
        List<Key> all = new ArrayList<>();
        for (String group : sk.groups()) {
            all.addAll(Optional.ofNullable(groups.get(group))
                    .orElseThrow(() -> new IllegalArgumentException(service + " names unknown group " + group)));
        }
        if (sk.keys() != null) {
            all.addAll(sk.keys());
        }
        Map<String, Key> byEnv = new LinkedHashMap<>();
        for (Key key : all) {
            if (byEnv.put(key.env(), key) != null) {
                throw new IllegalArgumentException(service + " lists " + key.env() + " twice");
            }
        }
        return byEnv;
    }

    /** Quarkus' environment-variable form of a property name: upper case, non-alphanumerics as '_'. */
    static String quarkusEnvName(String property) {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
