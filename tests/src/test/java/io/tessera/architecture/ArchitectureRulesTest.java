package io.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The boundaries of Tessera's architecture, checked on the compiled production classes of every module
 * (this module depends on all of them). Each rule's message says how to fix a violation.
 *
 * <p>The shape: three shared libraries wrap the heavy native/remote SDKs so that exactly one place owns
 * each (threading rules, telemetry switches, Milvus Lite guards, FFmpeg logging); services are built from
 * those libraries and never from one another; {@code internal} packages are private to their library.
 *
 * <p>The rules run as plain JUnit tests calling {@code rule.check(...)}: ArchUnit's own JUnit 5 engine
 * discovers nothing on the JUnit platform that the Quarkus BOM pins, and silently ran zero rules.
 */
class ArchitectureRulesTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tessera");
    }

    private static final ArchRule onlyTheVectorStoreTalksToMilvus = noClasses()
            .that().resideOutsideOfPackages("io.tessera.vectorstore..", "io.tessera.stack..", "io.tessera.testing..")
            .should().dependOnClassesThat().resideInAPackage("io.milvus..")
            .because("Milvus access (naming, schema, the Milvus Lite guards, write serialisation, error "
                    + "classification) lives in services/vector-store: add the operation you need to "
                    + "io.tessera.vectorstore.VectorStore instead of calling the Milvus SDK directly")
            .allowEmptyShould(true);

    private static final ArchRule onlyTheEmbeddingRuntimeTalksToOnnxRuntime = noClasses()
            .that().resideOutsideOfPackage("io.tessera.embedding..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
            .because("ONNX Runtime sessions, telemetry switches and DJL's offline mode are owned by "
                    + "services/embedding-runtime: go through io.tessera.embedding.EmbeddingRuntime")
            .allowEmptyShould(true);

    private static final ArchRule onlyTheMediaLibraryTalksToFfmpeg = noClasses()
            .that().resideOutsideOfPackage("io.tessera.media..")
            .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
            .because("JavaCV/FFmpeg (natives, cache dir, log level, frame reuse) is owned by "
                    + "services/media-decoding: use io.tessera.media.MediaDecoder or VideoWriter")
            .allowEmptyShould(true);

    private static final ArchRule internalPackagesArePrivateToTheirLibrary = noClasses()
            .should(new InternalPackageAccess())
            .because("a package named 'internal' is an implementation detail of the library that holds it: "
                    + "use that library's public API, or make what you need public there on purpose")
            .allowEmptyShould(true);

    private static final ArchRule librariesDoNotDependOnServices = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.catalog..", "io.tessera.indexer..",
                    "io.tessera.search..", "io.tessera.trainer..", "io.tessera.cli..", "io.tessera.demo..")
            .because("shared libraries sit below the services: move shared code down into a library")
            .allowEmptyShould(true);

    private static final ArchRule servicesDoNotDependOnEachOther = noClasses()
            .that().resideInAnyPackage("io.tessera.catalog..", "io.tessera.search..", "io.tessera.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.indexer..")
            .because("services talk through Kafka topics and the public contracts, never through each "
                    + "other's classes: move shared code into a library under services/")
            .allowEmptyShould(true);

    private static final ArchRule onlyTestSupportAndToolsStartTheLocalStack = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.catalog..", "io.tessera.indexer..",
                    "io.tessera.search..", "io.tessera.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.stack..", "io.tessera.testing..")
            .because("production code must not know how the local development stack is started; "
                    + "it receives addresses through configuration");

    @Test
    void onlyTheVectorStoreTalksToMilvus() {
        onlyTheVectorStoreTalksToMilvus.check(production);
    }

    @Test
    void onlyTheEmbeddingRuntimeTalksToOnnxRuntime() {
        onlyTheEmbeddingRuntimeTalksToOnnxRuntime.check(production);
    }

    @Test
    void onlyTheMediaLibraryTalksToFfmpeg() {
        onlyTheMediaLibraryTalksToFfmpeg.check(production);
    }

    @Test
    void internalPackagesArePrivateToTheirLibrary() {
        internalPackagesArePrivateToTheirLibrary.check(production);
    }

    @Test
    void librariesDoNotDependOnServices() {
        librariesDoNotDependOnServices.check(production);
    }

    @Test
    void servicesDoNotDependOnEachOther() {
        servicesDoNotDependOnEachOther.check(production);
    }

    @Test
    void onlyTestSupportAndToolsStartTheLocalStack() {
        onlyTestSupportAndToolsStartTheLocalStack.check(production);
    }
}
