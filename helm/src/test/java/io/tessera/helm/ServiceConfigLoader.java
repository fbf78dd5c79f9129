package io.tessera.helm;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a Deployment's rendered environment the way a Quarkus service would see it: variables (ordinal 300) over the
 * service's application.properties (250), the profile from QUARKUS_PROFILE, Quarkus' own Duration and Path
 * converters, and the service's @ConfigMapping interfaces, which SmallRye Config checks when it builds (a required
 * property missing or a value of the wrong type fails the build, as it fails the service's start).
 */
final class ServiceConfigLoader {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

    private ServiceConfigLoader() {
    }

    static SmallRyeConfig load(List<EnvVar> env, ConfigMappingContract.ServiceReads reads) {
        Map<String, String> variables = environment(env);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withProfile(variables.getOrDefault("QUARKUS_PROFILE", "prod"))
                .withSources(new EnvConfigSource(variables, 300))
                .withSources(new PropertiesConfigSource(reads.properties(), "application.properties", 250))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter());
        reads.mappings().forEach(builder::withMapping);
        return builder.build();
    }

    /**
     * The variables as the container gets them: secrets and ConfigMap keys stand in as {@code secret:<name>/<key>},
     * the pod IP as a documentation address, and {@code $(NAME)} expanded from earlier variables as the kubelet does.
     */
    static Map<String, String> environment(List<EnvVar> env) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (EnvVar e : env) {
            String value;
            if (e.getValueFrom() == null) {
                value = expand(e.getValue() == null ? "" : e.getValue(), variables);
            } else {
                EnvVarSource from = e.getValueFrom();
                if (from.getSecretKeyRef() != null) {
                    value = "secret:" + from.getSecretKeyRef().getName() + "/" + from.getSecretKeyRef().getKey();
                } else if (from.getConfigMapKeyRef() != null) {
                    value = "configmap:" + from.getConfigMapKeyRef().getName() + "/" + from.getConfigMapKeyRef().getKey();
                } else if (from.getFieldRef() != null && "status.podIP".equals(from.getFieldRef().getFieldPath())) {
                    value = "192.0.2.10";
                } else {
                    throw new IllegalArgumentException(e.getName() + ": a valueFrom this loader does not model: " + from);
                }
            }
            variables.put(e.getName(), value);
        }
        return variables;
    }

    private static String expand(String value, Map<String, String> earlier) {
        Matcher m = REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = earlier.getOrDefault(m.group(1), m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
