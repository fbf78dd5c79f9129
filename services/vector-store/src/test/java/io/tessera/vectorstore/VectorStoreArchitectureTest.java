package io.tessera.vectorstore;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public API hides Milvus, so callers never depend on the SDK and the SDK can change behind it. */
class VectorStoreArchitectureTest {

    /** Only this module's classes: scanning the whole classpath for the package takes seconds. */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importLocations(Set.of(Location.of(VectorStore.class.getProtectionDomain().getCodeSource().getLocation())));

    @Test
    void publicApiDoesNotExposeMilvus() {
        assertTrue(CLASSES.contain(VectorStore.class), "the classes under test were imported");
        noClasses().that().resideInAPackage("io.tessera.vectorstore")
                .should().dependOnClassesThat().resideInAnyPackage("io.milvus..")
                .because("only io.tessera.vectorstore.internal may use the Milvus SDK: put Milvus types behind the"
                        + " VectorStore interface and translate them to Tessera records")
                .check(CLASSES);
    }
}
