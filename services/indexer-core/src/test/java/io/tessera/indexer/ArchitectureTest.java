package io.tessera.indexer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of docs/architecture.md / STYLE.md, as they apply to the indexers. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.tessera.indexer");
    }

    @Test
    void milvusOnlyThroughTheVectorStore() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.milvus..")
                .because("only services/vector-store talks to Milvus: use io.tessera.vectorstore.VectorStore")
                .check(classes);
    }

    @Test
    void onnxRuntimeOnlyThroughTheEmbeddingRuntime() {
        noClasses().should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .because("only services/embedding-runtime runs models: use io.tessera.embedding.EmbeddingRuntime")
                .check(classes);
    }

    @Test
    void ffmpegOnlyThroughTheMediaLibrary() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .because("only services/media-decoding uses FFmpeg: use io.tessera.media.MediaDecoder / VideoWriter")
                .check(classes);
    }

    @Test
    void pipelineDoesNotDependOnQuarkus() {
        noClasses().that().resideOutsideOfPackage("io.tessera.indexer.quarkus..")
                .should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..",
                        "jakarta.inject..", "io.smallrye..", "org.eclipse.microprofile..")
                .because("the pipeline is plain Java so tests and the benchmark run it without a container;"
                        + " the Quarkus wiring lives in io.tessera.indexer.quarkus")
                .check(classes);
    }

    @Test
    void pipelineIsIndependentOfHowRecordsAreConsumed() {
        noClasses().that().resideInAnyPackage("io.tessera.indexer.internal..", "io.tessera.indexer.modality..")
                .should().dependOnClassesThat().resideInAPackage("io.tessera.indexer.kafka..")
                .because("the pipeline is a function of a SourceRecord; the Kafka loop feeds it, not the other way")
                .check(classes);
    }
}
