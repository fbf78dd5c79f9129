package io.tessera.media;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module's boundaries. Plain JUnit tests calling {@code check}: with ArchUnit's own JUnit engine
 * (archunit-junit5 1.4.1 under JUnit Platform 1.13) the {@code @ArchTest} rules silently did not run.
 */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        try {
            // Only this module's output directory: scanning the class path would walk the FFmpeg jars too.
            Path mainClasses = Path.of(MediaDecoder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPath(mainClasses);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyInternalsTouchFfmpeg() {
        noClasses().that().resideOutsideOfPackage("io.tessera.media.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bytedeco..")
                .because("JavaCV/FFmpeg stays behind io.tessera.media.internal: callers (indexers, the dataset"
                        + " generator) get MediaDecoder, VideoWriter and ImageEncoder; add what they need there,"
                        + " not a bytedeco import")
                .check(classes);
    }

    @Test
    void decoderLibrariesStayInternal() {
        noClasses().that().resideOutsideOfPackage("io.tessera.media.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.pdfbox..", "com.twelvemonkeys..")
                .because("PDFBox and TwelveMonkeys are implementation choices; the public API speaks RgbImage and"
                        + " records")
                .check(classes);
    }

    @Test
    void libraryDoesNotDependOnFrameworks() {
        noClasses().that().resideInAPackage("io.tessera.media..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "org.apache.kafka..",
                        "io.milvus..", "ai.onnxruntime..")
                .because("the media library is plain Java that every indexer and tool can call; wiring lives in"
                        + " the services")
                .check(classes);
    }

    @Test
    void theRulesSeeTheClasses() {
        // Guards against an import that silently finds nothing, which would make every rule above pass.
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain(MediaDecoder.class));
        org.junit.jupiter.api.Assertions.assertTrue(classes.contain(io.tessera.media.internal.VideoSampling.class));
    }
}
