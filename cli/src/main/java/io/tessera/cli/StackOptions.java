package io.tessera.cli;

import io.tessera.stack.StackConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the stack lives and its ports; each option falls back to its TESSERA_* variable, then the default. */
public final class StackOptions {

    @Option(names = "--home", paramLabel = "DIR", description = "Runtime directory: logs, pids, data, downloads, venv (env TESSERA_HOME; default <repo>/.tessera).")
    Path home;

    @Option(names = "--kafka-port", paramLabel = "PORT", description = "Kafka listener on 127.0.0.1 (env TESSERA_KAFKA_PORT; default 9092).")
    Integer kafkaPort;

    @Option(names = "--kafka-controller-port", paramLabel = "PORT", description = "KRaft controller on 127.0.0.1 (env TESSERA_KAFKA_CONTROLLER_PORT; default 9093).")
    Integer controllerPort;

    @Option(names = "--registry-port", paramLabel = "PORT", description = "Schema registry on 127.0.0.1 (env TESSERA_REGISTRY_PORT; default 8081).")
    Integer registryPort;

    @Option(names = "--milvus-port", paramLabel = "PORT", description = "Milvus Lite gRPC on 127.0.0.1 (env TESSERA_MILVUS_PORT; default 19530).")
    Integer milvusPort;

    @Option(names = "--s3-port", paramLabel = "PORT", description = "Object store's S3 API on 127.0.0.1, its inner servers on"
            + " the next 9 ports (env TESSERA_S3_PORT; default 8333).")
    Integer s3Port;

    @Option(names = "--kafka-secure-port", paramLabel = "PORT", description = "A second Kafka listener on 127.0.0.1 that"
            + " speaks only SASL/SCRAM-SHA-512 over TLS, to try a secured cluster's settings (env TESSERA_KAFKA_SECURE_PORT;"
            + " default none).")
    Integer kafkaSecurePort;

    @Option(names = "--python", paramLabel = "EXE", description = "Python 3.10+ for the virtualenv (env TESSERA_PYTHON; default python3).")
    String python;

    public StackConfig config() {
        StackConfig base = StackConfig.fromEnvironment();
        StackConfig c = base.withPorts(
                kafkaPort != null ? kafkaPort : base.kafkaPort(),
                controllerPort != null ? controllerPort : base.kafkaControllerPort(),
                registryPort != null ? registryPort : base.registryPort(),
                milvusPort != null ? milvusPort : base.milvusPort());
        if (s3Port != null) {
            c = c.withS3Port(s3Port);
        }
        if (home != null) {
            c = c.withHome(home);
        }
        if (python != null) {
            c = c.withPython(python);
        }
        if (kafkaSecurePort != null) {
            c = c.withKafkaSecurePort(kafkaSecurePort);
        }
        return c;
    }
}
