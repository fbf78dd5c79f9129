package io.tessera.demo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.tessera.demo.dataset.DatasetGenerator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries, as plain JUnit tests calling {@code check}: ArchUnit's own JUnit engine
 * (archunit-junit5 1.4.1 under JUnit Platform 1.13) silently ran no {@code @ArchTest} rule.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() throws URISyntaxException {
        // Only this module's classes: scanning the class path would walk the FFmpeg jars too.
        Path mainClasses = Path.of(DatasetGenerator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(mainClasses);
    }

    @Test
    void importedTheModulesClasses() {
        if (!classes.contain(DatasetGenerator.class)) {
            throw new AssertionError("the rules below would check nothing: no classes imported");
        }
    }

    @Test
    void ffmpegOnlyThroughTheMediaLibrary() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .because("only services/media-decoding may use FFmpeg: write videos with io.tessera.media.VideoWriter")
                .check(classes);
    }

    @Test
    void noVectorStoreOrModelRuntimeInTheGenerator() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.milvus..", "ai.onnxruntime..")
                .because("Milvus is reached through the vector-store library and ONNX Runtime through the embedding"
                        + " runtime")
                .check(classes);
    }

    @Test
    void datasetApiDoesNotDependOnTheMediaLibrary() {
        noClasses().that().resideInAPackage("io.tessera.demo.dataset")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.media..")
                .because("the dataset API stays independent of the media library: only dataset.internal adapts to"
                        + " it (MediaLibraryVideoEncoder)")
                .check(classes);
    }
}
