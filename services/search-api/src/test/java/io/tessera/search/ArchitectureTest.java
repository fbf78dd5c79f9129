package io.tessera.search;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The boundaries of docs/architecture.md / STYLE.md, as they apply to search-api. */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.tessera.search");

    @Test
    void milvusIsReachedOnlyThroughTheVectorStore() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.milvus..")
                .because("only tessera-vector-store may import io.milvus: use io.tessera.vectorstore.VectorStore")
                .check(CLASSES);
    }

    @Test
    void onnxRuntimeIsReachedOnlyThroughTheEmbeddingRuntime() {
        noClasses().should().dependOnClassesThat().resideInAPackage("ai.onnxruntime..")
                .because("only tessera-embedding-runtime may import ai.onnxruntime: use EmbeddingRuntime")
                .check(CLASSES);
    }

    @Test
    void ffmpegIsReachedOnlyThroughTheMediaLibrary() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .because("only tessera-media-decoding may import org.bytedeco: use io.tessera.media.MediaDecoder")
                .check(CLASSES);
    }
}
