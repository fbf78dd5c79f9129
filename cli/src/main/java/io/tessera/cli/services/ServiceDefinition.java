package io.tessera.cli.services;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Tessera service that {@code ./tessera services up} runs as a background process.
 *
 * @param name short name (pid and log files, command line output), e.g. "search-api"
 * @param module the Maven module that builds it, e.g. "services/search-api"
 * @param mainJar the runnable jar, relative to the repository root, e.g. "services/search-api/target/quarkus-app/quarkus-run.jar"
 * @param port its HTTP port on 127.0.0.1 (Quarkus: /q/health/ready is polled there)
 * @param environment extra environment on top of the stack's addresses (see {@link ServiceRunner#baseEnvironment})
 * @param jvmOptions extra JVM options, e.g. "-Xmx1g"
 */
public record ServiceDefinition(String name, String module, String mainJar, int port,
                                Map<String, String> environment, List<String> jvmOptions) {

    public ServiceDefinition {
        Objects.requireNonNull(name);
        Objects.requireNonNull(module);
        Objects.requireNonNull(mainJar);
        environment = Map.copyOf(environment);
        jvmOptions = List.copyOf(jvmOptions);
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("service name must be lower-case letters, digits and '-': " + name);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": port out of range: " + port);
        }
    }
}
