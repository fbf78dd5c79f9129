package io.tessera.models.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageNetClassesTest {

    @Test
    void parsesTheThousandNamesFromTheTorchvisionWheel() throws IOException {
        List<String> names = ImageNetClasses.fromTorchvisionWheel(TestAssets.torchvisionWheel());

        assertThat(names).hasSize(1000);
        assertThat(names.get(0)).isEqualTo("tench");
        assertThat(names.get(281)).isEqualTo("tabby");
        assertThat(names.get(282)).isEqualTo("tiger cat");
        assertThat(names.get(285)).isEqualTo("Egyptian cat");
        assertThat(names.get(607)).isEqualTo("jack-o'-lantern");
        assertThat(names.get(967)).isEqualTo("espresso");
        assertThat(names.get(968)).isEqualTo("cup");
        assertThat(names.get(999)).isEqualTo("toilet tissue");
    }

    @Test
    void theBuildPutsTheSameNamesOnTheClasspath() throws IOException {
        assertThat(ImageNetClasses.load())
                .containsExactlyElementsOf(ImageNetClasses.fromTorchvisionWheel(TestAssets.torchvisionWheel()));
    }

    @Test
    void rejectsAListThatWouldShiftTheIndices() {
        String names = String.join(", ", Collections.nCopies(1000, "\"x\""));
        assertThat(ImageNetClasses.parseTorchvisionMeta("_IMAGENET_CATEGORIES = [" + names + ",\n]")).hasSize(1000);
        assertThatThrownBy(() -> ImageNetClasses.parseTorchvisionMeta("_IMAGENET_CATEGORIES = [\"a\", \"b\"]"))
                .hasMessageContaining("has 2 class names");
        assertThatThrownBy(() -> ImageNetClasses.parseTorchvisionMeta(
                "_IMAGENET_CATEGORIES = [\"a\", # a comment\n \"b\"]"))
                .hasMessageContaining("unexpected text");
        assertThatThrownBy(() -> ImageNetClasses.parseTorchvisionMeta("CATEGORIES = []"))
                .hasMessageContaining("no _IMAGENET_CATEGORIES");
    }
}
