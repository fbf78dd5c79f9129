package io.tessera.demo.run;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the demo needs from the machine it runs on: the local stack and the Tessera services as background processes.
 * The command line implements it with its stack manager and service catalogue; every method remembers what it
 * started, so that {@link #stopStartedServices} and {@link #stopStartedStack} stop exactly that and nothing that was
 * running before.
 */
public interface DemoPlatform {

    /** The addresses of the local stack. */
    record StackAddresses(String kafkaBootstrap, String registryUrl, String milvusUri) {
    }

    /** Starts the parts of the local stack that are not running and waits until each answers. */
    StackAddresses startStack();

    /**
     * Builds the service jars that are missing (with progress).
     *
     * @throws DemoFailedException when a service is not available yet or its build fails
     */
    void buildServices();

    /**
     * Starts every service with {@code environment} on top of the
     * stack's addresses and waits until each reports ready.
     *
     * @throws DemoFailedException when a service is not available, already running, or does not become ready
     */
    void startServices(Map<String, String> environment);

    /**
     * Puts version {@code version} of model {@code name} into a run's own model store, from wherever this machine
     * keeps its models (the default store, or the demo's {@code --models-dir}); the bundled default needs nothing.
     *
     * @throws DemoFailedException when the model is not there or its files do not check out
     */
    void installModel(String name, int version, Path runStore);

    /** Where a service's log is, for messages that send the reader there. */
    String serviceLog(String service);

    /** The HTTP base address of a service of the catalogue (search-api, media-catalog, trainer, ...). */
    URI serviceUrl(String service);

    /** Stops the services this platform started, in reverse order; safe to call more than once. */
    void stopStartedServices();

    /**
     * Stops the parts of the local stack this platform started (none when the stack was up before); safe to call more
     * than once. After {@link #stopStartedServices}, and after the demo has removed its run's topics and collections,
     * which needs the stack.
     */
    void stopStartedStack();
}
