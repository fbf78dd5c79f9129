package io.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The boundaries of Tessera's architecture, checked on the compiled production classes of every module
 * (this module depends on all of them). Each rule's message says how to fix a violation.
 *
 * <p>The shape: three shared libraries wrap the heavy native/remote SDKs so that exactly one place owns
 * each (threading rules, telemetry switches, Milvus Lite guards, FFmpeg logging); services are built from
 * those libraries and never from one another; {@code internal} packages are private to their library.
 */
@AnalyzeClasses(packages = "io.tessera", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTest {

    @ArchTest
    static final ArchRule onlyTheVectorStoreTalksToMilvus = noClasses()
            .that().resideOutsideOfPackages("io.tessera.vectorstore..", "io.tessera.stack..", "io.tessera.testing..")
            .should().dependOnClassesThat().resideInAPackage("io.milvus..")
            .because("Milvus access (naming, schema, the Milvus Lite guards, write serialisation, error "
                    + "classification) lives in services/vector-store: add the operation you need to "
                    + "io.tessera.vectorstore.VectorStore instead of calling the Milvus SDK directly");

    @ArchTest
    static final ArchRule onlyTheEmbeddingRuntimeTalksToOnnxRuntime = noClasses()
            .that().resideOutsideOfPackage("io.tessera.embedding..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
            .because("ONNX Runtime sessions, telemetry switches and DJL's offline mode are owned by "
                    + "services/embedding-runtime: go through io.tessera.embedding.EmbeddingRuntime");

    @ArchTest
    static final ArchRule onlyTheMediaLibraryTalksToFfmpeg = noClasses()
            .that().resideOutsideOfPackage("io.tessera.media..")
            .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
            .because("JavaCV/FFmpeg (natives, cache dir, log level, frame reuse) is owned by "
                    + "services/media-decoding: use io.tessera.media.MediaDecoder or VideoWriter");

    @ArchTest
    static final ArchRule internalPackagesArePrivateToTheirLibrary = noClasses()
            .should(new InternalPackageAccess())
            .because("a package named 'internal' is an implementation detail of the library that holds it: "
                    + "use that library's public API, or make what you need public there on purpose");

    @ArchTest
    static final ArchRule librariesDoNotDependOnServices = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.catalog..", "io.tessera.indexer..",
                    "io.tessera.search..", "io.tessera.trainer..", "io.tessera.cli..", "io.tessera.demo..")
            .because("shared libraries sit below the services: move shared code down into a library");

    @ArchTest
    static final ArchRule servicesDoNotDependOnEachOther = noClasses()
            .that().resideInAnyPackage("io.tessera.catalog..", "io.tessera.search..", "io.tessera.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.indexer..")
            .because("services talk through Kafka topics and the public contracts, never through each "
                    + "other's classes: move shared code into a library under services/");

    @ArchTest
    static final ArchRule onlyTestSupportAndToolsStartTheLocalStack = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.catalog..", "io.tessera.indexer..",
                    "io.tessera.search..", "io.tessera.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.stack..", "io.tessera.testing..")
            .because("production code must not know how the local development stack is started; "
                    + "it receives addresses through configuration");
}
