package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.embedding.model.DefaultModels;
import io.tessera.embedding.model.ModelManifest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Building tessera-base again gives the very bytes the build bundled; skip-if-current; pinned inputs. */
class TesseraBaseBuilderTest {

    private static String bundledManifest() throws IOException {
        String res = DefaultModels.CLASSPATH_ROOT + "/" + TesseraBase.NAME + "/" + TesseraBase.VERSION + "/"
                + ModelManifest.FILE_NAME;
        try (InputStream in = TesseraBaseBuilderTest.class.getClassLoader().getResourceAsStream(res)) {
            assertThat(in).as(res + " on the classpath (bundled by the build)").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void buildingAgainGivesByteIdenticalFilesAndThenSkips() throws IOException {
        Path store = TestAssets.work("rebuild");
        TesseraBaseBuilder.deleteRecursively(store);

        TesseraBaseBuilder.Result r = TesseraBaseBuilder.build(TestAssets.baseInputs(), store,
                TesseraBaseBuilder.Weights.chosen(), false);
        assertThat(r.assembled()).isTrue();
        System.out.printf("tessera-base assembled again in %d ms: %s%n", r.millis(), r.phases());

        Map<String, String> rebuilt = r.directory().manifest().files();
        Map<String, String> bundled = ModelManifest.fromJson(bundledManifest()).files();
        assertThat(rebuilt).isEqualTo(bundled);
        // The manifest lists every other file's sha256, so equal manifest bytes mean an identical directory.
        assertThat(Files.readString(r.directory().root().resolve(ModelManifest.FILE_NAME))).isEqualTo(bundledManifest());

        TesseraBaseBuilder.Result again = TesseraBaseBuilder.build(TestAssets.baseInputs(), store,
                TesseraBaseBuilder.Weights.chosen(), true);
        assertThat(again.assembled()).as("current: skipped").isFalse();

        // Other weights are another build: not current.
        TesseraBaseBuilder.Weights other = new TesseraBaseBuilder.Weights(2f, 1f, 0.6f, 0.8f);
        assertThat(TesseraBaseBuilder.currentOrNull(r.directory().root(), other)).isNull();
        // A damaged file is not current either.
        Files.writeString(r.directory().root().resolve("README.md"), "changed");
        assertThat(TesseraBaseBuilder.currentOrNull(r.directory().root(), TesseraBaseBuilder.Weights.chosen()))
                .isNull();
    }

    @Test
    void aPackageThatIsNotThePinnedOneIsRefused() throws IOException {
        Path dir = TestAssets.work("wrong-inputs");
        TesseraBaseBuilder.Inputs in = TesseraBaseBuilder.Inputs.in(dir);
        Files.deleteIfExists(in.minilmJar());
        assertThatThrownBy(in::verify).isInstanceOf(IOException.class).hasMessageContaining("missing");
        Files.writeString(in.minilmJar(), "not the jar");
        assertThatThrownBy(in::verify).isInstanceOf(IOException.class)
                .hasMessageContaining(TesseraBaseBuilder.source("minilm").sha256());
    }
}
