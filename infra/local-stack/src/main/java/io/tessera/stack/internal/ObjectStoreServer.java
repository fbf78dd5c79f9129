package io.tessera.stack.internal;

import io.tessera.stack.BackgroundProcess;
import io.tessera.stack.StackConfig;
import io.tessera.stack.StackException;
import io.tessera.stack.StackPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * SeaweedFS (Apache-2.0) as the local stack's S3-compatible object store: {@code weed mini} (master, volume server,
 * filer and S3 gateway in one process) on loopback, data under {@code data/seaweedfs}, one bucket
 * ({@value StackConfig#S3_BUCKET}) and one identity. SeaweedFS publishes no binaries to a package registry this
 * project builds from, so the install step builds it from the Go module proxy at the version pinned in the parent pom
 * (modules checksummed by go.sum and the Go checksum database) and caches the binary.
 */
public final class ObjectStoreServer implements Server {

    private static final String MODULE = "github.com/seaweedfs/seaweedfs";

    private final StackConfig config;
    private final Path installDir;
    private final BackgroundProcess process;

    public ObjectStoreServer(StackConfig config) {
        this.config = config;
        this.installDir = config.cacheDir().resolve("seaweedfs-" + Versions.SEAWEEDFS);
        this.process = new BackgroundProcess(StackPart.OBJECTS.id(), config.runDir().resolve("objects.pid"),
                config.logsDir().resolve("objects.log"), List.of(binary().toString(), "-s3.port=" + config.s3Port()));
    }

    @Override public StackPart part() { return StackPart.OBJECTS; }
    /** The pseudo-version's date and commit (v0.0.0-20261109003541-7506e5f91cd6 becomes 20261109-7506e5f). */
    @Override
    public String version() {
        String[] parts = Versions.SEAWEEDFS.split("-");
        return parts.length == 3 ? parts[1].substring(0, 8) + "-" + parts[2].substring(0, 7) : Versions.SEAWEEDFS;
    }
    @Override public String address() { return config.s3Endpoint() + " (bucket " + StackConfig.S3_BUCKET + ")"; }
    @Override public String portHint() { return "--s3-port (TESSERA_S3_PORT; it uses that port and the next "
            + (StackConfig.S3_PORT_SPAN - 1) + ")"; }
    @Override public BackgroundProcess process() { return process; }
    @Override public Path workDir() { return config.runDir().resolve("objects"); }

    /** The S3 port first (readiness and status look at it), then the inner servers' ports above it. */
    @Override
    public List<Integer> ports() {
        return IntStream.range(config.s3Port(), config.s3Port() + StackConfig.S3_PORT_SPAN).boxed().toList();
    }

    private Path binary() {
        return installDir.resolve("weed");
    }

    @Override
    public boolean installed() {
        return Files.isRegularFile(installDir.resolve(".complete")) && Files.isExecutable(binary());
    }

    @Override
    public void checkInstallable() {
        if (go().isEmpty()) {
            throw new StackException("objects: SeaweedFS is built from source on first use and needs Go 1.24 or newer"
                    + " (`go` on the PATH or /usr/local/go/bin/go); none was found");
        }
    }

    @Override
    public void install(Consumer<String> activity) {
        String go = go().orElseThrow(() -> new StackException("objects: no Go toolchain found"));
        Path staged = installDir.resolveSibling(installDir.getFileName() + ".staging");
        FileTrees.deleteRecursively(staged);
        Path log = config.logsDir().resolve("install-objects.log");
        try {
            Files.createDirectories(staged);
            Files.writeString(staged.resolve("go.mod"), "module tessera.local/seaweedfs\n\ngo 1.24\n");
            activity.accept("installing: fetching SeaweedFS " + Versions.SEAWEEDFS + " from the Go module proxy");
            run(List.of(go, "get", MODULE + "/weed@" + Versions.SEAWEEDFS), staged, log);
            activity.accept("installing: building SeaweedFS (a few minutes the first time; cached afterwards)");
            run(List.of(go, "build", "-o", "weed", MODULE + "/weed"), staged, log);
            Files.writeString(staged.resolve(".complete"), Versions.SEAWEEDFS + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        FileTrees.replace(staged, installDir);
    }

    private static void run(List<String> command, Path dir, Path log) {
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // No VCS stamping (the module cache is no repository) and no telemetry upload.
            pb.environment().put("GOFLAGS", "-buildvcs=false -mod=mod");
            pb.environment().put("GOTELEMETRY", "off");
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new StackException("objects: `" + String.join(" ", command) + "` ran past 30 minutes: see " + log);
            }
            if (p.exitValue() != 0) {
                throw new StackException("objects: `" + String.join(" ", command) + "` failed (exit " + p.exitValue()
                        + "): see " + log);
            }
        } catch (IOException e) {
            throw new StackException("objects: could not run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("objects: interrupted while building SeaweedFS", e);
        }
    }

    private static Optional<String> go() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "go"))) {
                return Optional.of(Path.of(dir, "go").toString());
            }
        }
        Path standard = Path.of("/usr/local/go/bin/go");
        return Files.isExecutable(standard) ? Optional.of(standard.toString()) : Optional.empty();
    }

    /** The data directory and the S3 identity file (credentials of the local stack, loopback only). */
    @Override
    public void prepare(Consumer<String> activity) {
        try {
            Files.createDirectories(dataDir());
            Files.createDirectories(workDir());
            Files.writeString(identities(), """
                    {"identities": [{"name": "tessera",
                      "credentials": [{"accessKey": "%s", "secretKey": "%s"}],
                      "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}
                    """.formatted(StackConfig.S3_ACCESS_KEY, StackConfig.S3_SECRET_KEY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path dataDir() {
        return config.dataDir().resolve("seaweedfs");
    }

    private Path identities() {
        return workDir().resolve("s3-identities.json");
    }

    @Override
    public List<String> command() {
        int p = config.s3Port();
        return List.of(binary().toString(), "mini",
                "-dir=" + dataDir(),
                "-ip=" + config.host(), "-ip.bind=" + config.host(),
                "-s3.port=" + p, "-s3.port.grpc=" + (p + 1),
                "-master.port=" + (p + 2), "-master.port.grpc=" + (p + 3),
                "-volume.port=" + (p + 4), "-volume.port.grpc=" + (p + 5),
                "-filer.port=" + (p + 6), "-filer.port.grpc=" + (p + 7),
                "-admin.port=" + (p + 8), "-admin.port.grpc=" + (p + 9),
                // SeaweedFS reports usage statistics to telemetry.seaweedfs.com by default: never from here.
                "-master.telemetry=false",
                // Only S3 is wanted: no WebDAV, admin UI, Iceberg catalog, Lance namespace or legacy admin port.
                "-webdav=false", "-admin.ui=false", "-admin.port.legacy=0", "-s3.port.iceberg=0", "-s3.port.lance=0",
                "-s3.config=" + identities(),
                "-bucket=" + StackConfig.S3_BUCKET);
    }

    @Override
    public Map<String, String> environment() {
        return Map.of();
    }

    @Override
    public void awaitReady(Instant deadline, Consumer<String> activity) {
        activity.accept("waiting for the S3 endpoint " + config.s3Endpoint());
        Readiness.awaitPort(this, config.host(), config.s3Port(), deadline);
        activity.accept("waiting for an S3 put/get round trip in bucket " + StackConfig.S3_BUCKET);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            Readiness.checkAlive(this);
            try {
                roundTrip(config);
                return;
            } catch (RuntimeException e) {
                last = e;
                Readiness.pause();
            }
        }
        throw new StackException.StartupException("the object store did not complete an S3 round trip in time"
                + (last == null ? "" : " (" + last.getMessage() + ")") + ": see " + process.logFile());
    }

    /** Writes an object, reads it back, checks the bytes and deletes it, with the AWS SDK (not SeaweedFS' own tools). */
    public static void roundTrip(StackConfig config) {
        try (S3Client s3 = client(config)) {
            String key = "tessera-stack-health/" + UUID.randomUUID();
            byte[] body = key.getBytes(StandardCharsets.UTF_8);
            s3.putObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key), RequestBody.fromBytes(body));
            byte[] read = s3.getObjectAsBytes(b -> b.bucket(StackConfig.S3_BUCKET).key(key)).asByteArray();
            if (!java.util.Arrays.equals(body, read)) {
                throw new IllegalStateException("the object read back differs from the one written");
            }
            s3.deleteObject(b -> b.bucket(StackConfig.S3_BUCKET).key(key));
        }
    }

    /** An S3 client for the local object store (path-style, its credentials, short timeouts). */
    public static S3Client client(StackConfig config) {
        return S3Client.builder()
                .endpointOverride(URI.create(config.s3Endpoint()))
                .region(Region.of(StackConfig.S3_REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(StackConfig.S3_ACCESS_KEY, StackConfig.S3_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10)).build())
                .build();
    }

    @Override
    public List<BackgroundProcess.StopStep> stopSteps() {
        return BackgroundProcess.terminate(Duration.ofSeconds(15));
    }
}
