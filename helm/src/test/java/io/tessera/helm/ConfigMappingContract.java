package io.tessera.helm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Compares a service's @ConfigMapping interfaces with its entries in config-keys.yaml:
 * every readBy=application key under a mapping's prefix must be a property of a mapping (nothing the
 * chart sets goes unread), and every property a mapping requires (no default, not Optional) must be a
 * key the chart always sets (nothing required missing). Keys outside the mappings' prefixes (quarkus.*,
 * kafka.*) are read by Quarkus and SmallRye Kafka themselves and are not judged here.
 */
final class ConfigMappingContract {
    private ConfigMappingContract() {
    }

    static List<String> check(String service, List<Class<?>> mappings, Map<String, ConfigKeys.Key> keys) {
        Map<String, Property> properties = new LinkedHashMap<>();
        List<String> prefixes = new ArrayList<>();
        for (Class<?> mapping : mappings) {
            ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
            if (annotation == null) {
                throw new IllegalArgumentException(mapping.getName() + " is not annotated @ConfigMapping");
            }
            prefixes.add(annotation.prefix());
            properties.putAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, annotation.prefix())));
        }
        List<String> problems = new ArrayList<>();
        for (ConfigKeys.Key key : keys.values()) {
            if (key.readBy() != ConfigKeys.ReadBy.APPLICATION || prefixes.stream().noneMatch(p -> underPrefix(key.property(), p))) {
                continue;
            }
            boolean read = properties.keySet().stream().anyMatch(name -> matches(name, key.property()));
            if (!read) {
                problems.add(service + ": the chart sets " + key.env() + " (" + key.property()
                        + ") but no @ConfigMapping of the service reads it: remove it from config-keys.yaml or read it");
            }
        }
        properties.forEach((name, property) -> {
            if (isRequired(name, property)) {
                boolean alwaysSet = keys.values().stream().anyMatch(k -> k.required() && k.property() != null && matches(name, k.property()));
                if (!alwaysSet) {
                    problems.add(service + ": " + name + " is required by its @ConfigMapping (no default, not Optional) but "
                            + "config-keys.yaml does not list it as required for the chart to set: add a @WithDefault, "
                            + "make it Optional, or add it to the chart and to config-keys.yaml");
                }
            }
        });
        return problems;
    }

    /** Required: a value with no default whose method does not return an Optional (nor a group/map of them). */
    private static boolean isRequired(String name, Property property) {
        if (name.contains("*") || property.isGroup() || property.isMap() || property.hasDefaultValue()) {
            return false;
        }
        Class<?> type = property.getMethod().getReturnType();
        return !(Optional.class.equals(type) || OptionalInt.class.equals(type) || OptionalLong.class.equals(type)
                || OptionalDouble.class.equals(type));
    }

    private static boolean underPrefix(String property, String prefix) {
        return prefix.isEmpty() || property.equals(prefix) || property.startsWith(prefix + ".");
    }

    /** Mapping names may hold wildcards for map keys ({@code a.*.b}) and list indexes ({@code a[*]}). */
    private static boolean matches(String mappingName, String property) {
        if (mappingName.equals(property)) {
            return true;
        }
        String regex = Pattern.quote(mappingName).replace("*", "\\E[^.]+\\Q").replace("[\\E[^.]+\\Q]", "\\E(\\[[0-9]+\\])?\\Q");
        return Pattern.matches(regex, property) || Pattern.matches(Pattern.quote(mappingName.replace("[*]", "")), property);
    }
}
