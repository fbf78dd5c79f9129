package io.tessera.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
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
                    + "io.tessera.vectorstore.VectorStore instead of calling the Milvus SDK directly");

    private static final ArchRule onlyTheEmbeddingRuntimeTalksToOnnxRuntime = noClasses()
            .that().resideOutsideOfPackage("io.tessera.embedding..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.onnxruntime..", "ai.djl..")
            .because("ONNX Runtime sessions, telemetry switches and DJL's offline mode are owned by "
                    + "services/embedding-runtime: go through io.tessera.embedding.EmbeddingRuntime");

    private static final ArchRule onlyTheMediaLibraryTalksToFfmpeg = noClasses()
            .that().resideOutsideOfPackage("io.tessera.media..")
            .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
            .because("JavaCV/FFmpeg (natives, cache dir, log level, frame reuse) is owned by "
                    + "services/media-decoding: use io.tessera.media.MediaDecoder or VideoWriter");

    private static final ArchRule internalPackagesArePrivateToTheirLibrary = noClasses()
            .should(new InternalPackageAccess())
            .because("a package named 'internal' is an implementation detail of the library that holds it: "
                    + "use that library's public API, or make what you need public there on purpose");

    private static final ArchRule librariesDoNotDependOnServices = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..", "io.tessera.retry..", "io.tessera.settings..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.objectstore..", "io.tessera.client..", "io.tessera.catalog.client..")
            // The catalog client lives under the media-catalog service's package, but is a library of its own.
            .should().dependOnClassesThat(JavaClass.Predicates.resideInAnyPackage("io.tessera.catalog..",
                    "io.tessera.indexer..", "io.tessera.search..", "io.tessera.trainer..", "io.tessera.cli..",
                    "io.tessera.demo..").and(DescribedPredicate.not(
                    JavaClass.Predicates.resideInAPackage("io.tessera.catalog.client.."))))
            .because("shared libraries sit below the services: move shared code down into a library");

    private static final ArchRule servicesDoNotDependOnEachOther = noClasses()
            .that().resideInAnyPackage("io.tessera.catalog..", "io.tessera.search..", "io.tessera.trainer..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.indexer..")
            .because("services talk through Kafka topics and the public contracts, never through each "
                    + "other's classes: move shared code into a library under services/");

    private static final ArchRule onlyTestSupportAndToolsStartTheLocalStack = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..", "io.tessera.retry..", "io.tessera.settings..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.objectstore..", "io.tessera.catalog..", "io.tessera.indexer..",
                    "io.tessera.search..", "io.tessera.trainer..", "io.tessera.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.stack..", "io.tessera.testing..")
            .because("production code must not know how the local development stack is started; "
                    + "it receives addresses through configuration");

    private static final ArchRule librariesDoNotUseQuarkus = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..", "io.tessera.retry..", "io.tessera.settings..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.models..", "io.tessera.objectstore..", "io.tessera.client..",
                    "io.tessera.catalog.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..")
            .because("shared libraries are plain Java, usable from services, the CLI and tests alike: put the"
                    + " Quarkus wiring (CDI beans, producers) in the service that uses the library; a shared"
                    + " configuration concern is a SmallRye @ConfigMapping in services/settings");

    private static final ArchRule productionCodeDoesNotDependOnTheDemo = noClasses()
            .that().resideInAnyPackage("io.tessera.events..", "io.tessera.serde..", "io.tessera.registry..", "io.tessera.retry..", "io.tessera.settings..",
                    "io.tessera.embedding..", "io.tessera.media..", "io.tessera.vectorstore..",
                    "io.tessera.training..", "io.tessera.objectstore..", "io.tessera.catalog..", "io.tessera.indexer..", "io.tessera.rollout..",
                    "io.tessera.search..", "io.tessera.trainer..", "io.tessera.models..", "io.tessera.client..")
            .should().dependOnClassesThat().resideInAnyPackage("io.tessera.demo..")
            .because("the demo and its dataset generator are a tool built on the system, not part of it: move what"
                    + " production code needs into a library");

    private static final ArchRule productionCodeDoesNotDependOnTheBenchmarks = noClasses()
            .that().resideInAPackage("io.tessera..")
            .and().resideOutsideOfPackages("io.tessera.bench..", "io.tessera.demo..", "io.tessera.cli..",
                    "io.tessera.testing..")
            .should().dependOnClassesThat().resideInAPackage("io.tessera.bench..")
            .because("benchmarks and ablations are tools that measure the system, kept in bench/ (tessera-bench) so"
                    + " that no service or library ships them: move what production code needs out of io.tessera.bench"
                    + " into the library or service it belongs to, and let the benchmark use it from there");

    private static final ArchRule productionCodeDoesNotDependOnTheTinyModel = noClasses()
            .that().resideInAPackage("io.tessera..")
            .and().resideOutsideOfPackage("io.tessera.models.tiny..")
            .should().dependOnClassesThat().resideInAPackage("io.tessera.models.tiny..")
            .because("tessera-tiny (models/tessera-tiny: the generator, the demo's vocabulary and palette, the bundled"
                    + " model) is a test model: tests use it through a test-scope dependency and"
                    + " DefaultModels.TESSERA_TINY; services and libraries ship without it (the default model is"
                    + " tessera-base)");

    private static final ArchRule productionCodeLogsThroughSlf4j = noClasses()
            .should().dependOnClassesThat().resideInAnyPackage("org.jboss.logging..", "java.util.logging..",
                    "io.quarkus.logging..")
            // System.Logger and its nested Level: a nested class of java.lang, so matched by class, not by package.
            .orShould().dependOnClassesThat().belongToAnyOf(System.Logger.class)
            .because("production code logs through one API, SLF4J (Quarkus routes it into its log manager):"
                    + " declare 'private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(X.class)' and"
                    + " add org.slf4j:slf4j-api to the module's pom; JBoss Logging's infof(\"%s %d\", a, b) becomes"
                    + " info(\"{} {}\", a, b) with the exception as the last argument, System.Logger's Level.WARNING"
                    + " becomes warn(...) and its {0} placeholders become {}");

    /**
     * Every module with production code must be on this module's test class path, or the rules above pass on
     * nothing for it: finds each module's first class in the source tree and checks that it was imported.
     */
    @Test
    void everyModuleWithCodeIsChecked() throws java.io.IOException {
        java.nio.file.Path root = io.tessera.stack.StackConfig.findRepoRoot(java.nio.file.Path.of("").toAbsolutePath());
        java.util.List<String> missing = new java.util.ArrayList<>();
        try (var poms = java.nio.file.Files.walk(root, 4)) {
            for (java.nio.file.Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.tessera/")).toList()) {
                java.nio.file.Path src = pom.resolveSibling("src/main/java");
                if (!java.nio.file.Files.isDirectory(src)) {
                    continue;
                }
                try (var files = java.nio.file.Files.walk(src)) {
                    var first = files.filter(f -> f.toString().endsWith(".java")
                            && !f.getFileName().toString().equals("package-info.java")).sorted().findFirst();
                    if (first.isPresent()) {
                        String cls = src.relativize(first.get()).toString().replace('/', '.').replaceAll("\\.java$", "");
                        if (!production.contain(cls)) {
                            missing.add(root.relativize(pom.getParent()) + " (" + cls + ")");
                        }
                    }
                }
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), missing, "modules whose classes the"
                + " architecture rules do not see: add each as a test dependency of tests/pom.xml");
    }

    @Test
    void librariesDoNotUseQuarkus() {
        librariesDoNotUseQuarkus.check(production);
    }

    @Test
    void productionCodeDoesNotDependOnTheDemo() {
        productionCodeDoesNotDependOnTheDemo.check(production);
    }

    @Test
    void productionCodeDoesNotDependOnTheBenchmarks() {
        productionCodeDoesNotDependOnTheBenchmarks.check(production);
    }

    @Test
    void productionCodeDoesNotDependOnTheTinyModel() {
        productionCodeDoesNotDependOnTheTinyModel.check(production);
    }

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

    @Test
    void productionCodeLogsThroughSlf4j() {
        productionCodeLogsThroughSlf4j.check(production);
    }
}
