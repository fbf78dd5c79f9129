package io.tessera.helm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.ConfigMappingInterface.Property;
import io.smallrye.config.ConfigMappings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Executable;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Compares what a service reads with its entries in config-keys.yaml:
 * every readBy=application key must be read by the service (nothing the chart sets goes unread), and every
 * property its @ConfigMapping interfaces require (no default, not Optional) must be a key the chart always sets
 * or one the service's own application.properties sets (nothing required missing).
 *
 * <p>"Read" means: a property of one of the service's @ConfigMapping interfaces; a name injected with
 * {@code @ConfigProperty} anywhere in the service's own classes; a key its application.properties sets (a variable
 * overrides it); a name an expression {@code ${name:default}} refers to, in application.properties or in a
 * {@code @WithDefault}; or a key under one of the framework prefixes the service's extensions read themselves
 * ({@code quarkus.*} always; {@code kafka.*} where SmallRye Kafka applies it to every channel).
 */
final class ConfigMappingContract {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}${]+)");

    private ConfigMappingContract() {
    }

    /** What one service reads: its mappings, its application.properties, the prefixes its extensions read. */
    record ServiceReads(List<Class<?>> mappings, List<Path> applicationProperties, List<String> frameworkPrefixes) {
        ServiceReads {
            mappings = List.copyOf(mappings);
            applicationProperties = List.copyOf(applicationProperties);
            frameworkPrefixes = List.copyOf(frameworkPrefixes);
        }

        static ServiceReads of(List<Class<?>> mappings) {
            return new ServiceReads(mappings, List.of(), List.of("quarkus."));
        }

        /** The keys of its application.properties, profile prefixes ({@code %prod.}) removed. */
        Map<String, String> properties() {
            Map<String, String> all = new LinkedHashMap<>();
            for (Path file : applicationProperties) {
                Properties p = new Properties();
                try (InputStream in = Files.newInputStream(file)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
                p.stringPropertyNames().forEach(k -> all.put(k, p.getProperty(k)));
            }
            return all;
        }
    }

    static List<String> check(String service, List<Class<?>> mappings, Map<String, ConfigKeys.Key> keys) {
        return check(service, ServiceReads.of(mappings), keys);
    }

    static List<String> check(String service, ServiceReads reads, Map<String, ConfigKeys.Key> keys) {
        Map<String, Property> properties = mappingProperties(reads.mappings());
        Map<String, String> appProperties = reads.properties();
        Set<String> appKeys = new LinkedHashSet<>();
        appProperties.keySet().forEach(k -> appKeys.add(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k));
        Set<String> readNames = new LinkedHashSet<>(properties.keySet());
        readNames.addAll(appKeys);
        appProperties.values().forEach(v -> readNames.addAll(expressionNames(v)));
        properties.values().stream().filter(Property::hasDefaultValue)
                .forEach(p -> readNames.addAll(expressionNames(p.getDefaultValue())));
        readNames.addAll(injectedConfigProperties(reads.mappings()));

        List<String> problems = new ArrayList<>();
        for (ConfigKeys.Key key : keys.values()) {
            if (key.readBy() != ConfigKeys.ReadBy.APPLICATION
                    || reads.frameworkPrefixes().stream().anyMatch(p -> key.property().startsWith(p))) {
                continue;
            }
            if (readNames.stream().noneMatch(name -> matches(name, key.property()))) {
                problems.add(service + ": the chart sets " + key.env() + " (" + key.property()
                        + ") but the service does not read it (no @ConfigMapping property, @ConfigProperty or "
                        + "application.properties reference): remove it from the chart and config-keys.yaml or read it");
            }
        }
        properties.forEach((name, property) -> {
            if (isRequired(name, property) && !appKeys.contains(name)) {
                boolean alwaysSet = keys.values().stream().anyMatch(k -> k.required() && k.property() != null && matches(name, k.property()));
                if (!alwaysSet) {
                    problems.add(service + ": " + name + " is required by its @ConfigMapping (no default, not Optional) but "
                            + "neither config-keys.yaml lists it as required for the chart to set nor the service's "
                            + "application.properties sets it: add a @WithDefault, make it Optional, or add it to the chart");
                }
            }
        });
        return problems;
    }

    static Map<String, Property> mappingProperties(List<Class<?>> mappings) {
        Map<String, Property> properties = new LinkedHashMap<>();
        for (Class<?> mapping : mappings) {
            ConfigMapping annotation = mapping.getAnnotation(ConfigMapping.class);
            if (annotation == null) {
                throw new IllegalArgumentException(mapping.getName() + " is not annotated @ConfigMapping");
            }
            properties.putAll(ConfigMappings.getProperties(ConfigMappings.ConfigClass.configClass(mapping, annotation.prefix())));
        }
        return properties;
    }

    static Set<String> expressionNames(String value) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = EXPRESSION.matcher(value);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /**
     * Names injected with @ConfigProperty into the classes that ship with the mappings (their jar or classes
     * directory). Classes whose dependencies are not on this test's classpath are skipped: what they inject
     * cannot be seen, which can only make the check report a key as unread, never hide a problem.
     */
    static Set<String> injectedConfigProperties(List<Class<?>> mappings) {
        Set<String> names = new LinkedHashSet<>();
        for (Class<?> mapping : mappings) {
            ClassLoader loader = mapping.getClassLoader();
            for (String className : classesBesides(mapping)) {
                try {
                    Class<?> type = Class.forName(className, false, loader);
                    List<AnnotatedElement> elements = new ArrayList<>(List.of(type.getDeclaredFields()));
                    for (Executable e : Stream.concat(Stream.of(type.getDeclaredConstructors()), Stream.of(type.getDeclaredMethods())).toList()) {
                        elements.addAll(List.of(e.getParameters()));
                    }
                    for (AnnotatedElement element : elements) {
                        ConfigProperty cp = element.getAnnotation(ConfigProperty.class);
                        if (cp != null && !cp.name().isEmpty()) {
                            names.add(cp.name());
                        }
                    }
                } catch (ClassNotFoundException | LinkageError e) {
                    // see the method comment
                }
            }
        }
        return names;
    }

    private static List<String> classesBesides(Class<?> mapping) {
        try {
            Path location = Path.of(mapping.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> classes = new ArrayList<>();
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    files.filter(f -> f.toString().endsWith(".class")).forEach(f -> classes.add(className(location.relativize(f).toString())));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                        String name = e.nextElement().getName();
                        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
                            classes.add(className(name));
                        }
                    }
                }
            }
            return classes;
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the classes beside " + mapping.getName(), e);
        }
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.').replace('\\', '.');
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

    /**
     * Mapping names may hold wildcards for map keys ({@code a.*.b}) and list indexes ({@code a[*]}); a trailing
     * {@code .*} is a map of plain values, whose keys may themselves hold dots ({@code client.security.protocol}).
     */
    static boolean matches(String mappingName, String property) {
        if (mappingName.equals(property)) {
            return true;
        }
        if (mappingName.endsWith(".*") && !mappingName.substring(0, mappingName.length() - 2).contains("*")
                && property.startsWith(mappingName.substring(0, mappingName.length() - 1))) {
            return true;
        }
        String regex = Pattern.quote(mappingName).replace("*", "\\E[^.]+\\Q").replace("[\\E[^.]+\\Q]", "\\E(\\[[0-9]+\\])?\\Q");
        return Pattern.matches(regex, property) || Pattern.matches(Pattern.quote(mappingName.replace("[*]", "")), property);
    }
}
