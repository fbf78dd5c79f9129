package io.tessera.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Static checks of the Dockerfiles, which CI cannot build (no Docker engine on these machines):
 * pinned bases, a numeric non-root user, the Quarkus fast-jar layout, one entrypoint.
 */
class ContainerImagesTest {
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)(\\s+AS\\s+\\S+)?\\s*$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern ARG_DEFAULT = Pattern.compile("^ARG\\s+([A-Z_]+)=(\\S+)\\s*$", Pattern.MULTILINE);
    private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)\\s*$", Pattern.MULTILINE);
    /** repository:tag with a tag that names a version (a digit in it), never latest. */
    private static final Pattern PINNED = Pattern.compile("^[a-z0-9./_-]+:(?!latest$)[A-Za-z0-9._-]*[0-9][A-Za-z0-9._-]*(@sha256:[0-9a-f]{64})?$");

    private static String read(String name) throws IOException {
        return Files.readString(Repo.dockerDir().resolve(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void baseImagesArePinnedToAVersionAndNeverLatest(String dockerfile) throws IOException {
        String text = read(dockerfile);
        Map<String, String> args = new HashMap<>();
        Matcher a = ARG_DEFAULT.matcher(text);
        while (a.find()) {
            args.put(a.group(1), a.group(2));
        }
        Matcher m = FROM.matcher(text);
        List<String> bases = new ArrayList<>();
        while (m.find()) {
            String image = m.group(1);
            if (image.startsWith("${")) {
                image = args.get(image.substring(2, image.length() - 1));
            }
            if (image != null && !image.equals("jre")) {
                bases.add(image);
            }
        }
        assertThat(bases).isNotEmpty().allSatisfy(image -> assertThat(image).as("base image in %s", dockerfile).matches(PINNED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void imagesRunAsANumericNonRootUserWithWritablePathsOnlyUnderTmpAndVolumes(String dockerfile) throws IOException {
        String text = read(dockerfile);
        List<String> users = new ArrayList<>();
        Matcher m = USER.matcher(text);
        while (m.find()) {
            users.add(m.group(1));
        }
        // The last USER wins; runAsNonRoot can only verify a numeric one.
        assertThat(users).isNotEmpty();
        assertThat(users.get(users.size() - 1)).matches("[1-9][0-9]*");
        assertThat(text).contains("HOME=/tmp").contains("-Djava.io.tmpdir=/tmp");
        assertThat(text).doesNotContainIgnoringCase("--chown=185");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.cuda"})
    void imagesCopyTheQuarkusFastJarAndStartItThroughTheSharedEntrypoint(String dockerfile) throws IOException {
        String text = read(dockerfile);
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertThat(text).contains("${MODULE_DIR}/target/quarkus-app/" + part);
        }
        assertThat(text).contains("ARG SERVICE").contains("ENTRYPOINT [\"/usr/local/bin/tessera-java\"]").contains("EXPOSE 8080");
        String entrypoint = read("tessera-java.sh");
        assertThat(entrypoint).contains("exec java").contains("JAVA_OPTS_APPEND").contains("/deployments/quarkus-run.jar");
        assertThat(Files.isExecutable(Repo.dockerDir().resolve("tessera-java.sh"))).isTrue();
        assertThat(Files.exists(Repo.dockerDir().resolve(dockerfile + ".dockerignore"))).as("build context filter").isTrue();
    }

    @Test
    void theCudaImageCarriesCudnnAndAJreAndIsBuiltWithTheCudaProfile() throws IOException {
        String text = read("Dockerfile.cuda");
        assertThat(text).containsPattern("CUDA_IMAGE=nvidia/cuda:12\\.[0-9.]+-cudnn-runtime-");
        assertThat(text).contains("COPY --from=jre /opt/java/openjdk /opt/java/openjdk").contains("-Pcuda");
    }

    @Test
    void everyGpuCapableServiceHasTheCudaImageTheChartAsksFor() throws IOException {
        // The chart appends gpu.imageTagSuffix to the JVM tag; both Dockerfiles take the same SERVICE argument.
        String values = Files.readString(Repo.chart().resolve("values.yaml"));
        assertThat(values).contains("imageTagSuffix: \"-cuda\"");
        assertThat(Files.exists(Repo.dockerDir().resolve("Dockerfile.cuda"))).isTrue();
        Path compose = Repo.composeFile();
        assertThat(Files.readString(compose)).contains("infra/docker/Dockerfile.jvm");
    }
}
