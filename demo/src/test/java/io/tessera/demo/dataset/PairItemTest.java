package io.tessera.demo.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PairItemTest {

    @Test
    void anItemHasExactlyOneOfTextMediaIdAndContent() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new PairItem(Modality.IMAGE, null, null, null, null));
        assertTrue(none.getMessage().contains("exactly one"), none.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PairItem(Modality.IMAGE, null, "img-000001", new ContentRef("images/a.png", 1L, null), null));
    }

    @Test
    void relativeContentResolvesAgainstTheDatasetDirectory() {
        PairItem item = PairItem.content(Modality.IMAGE, new ContentRef("videos/frames/vid-000001-m1.png", 10L, "ab"));
        PairItem resolved = item.resolvedAgainst(Path.of("/data/ds"));
        assertEquals("file:///data/ds/videos/frames/vid-000001-m1.png", resolved.content().uri());
        assertEquals(10L, resolved.content().sizeBytes());
        PairItem text = PairItem.text("a red circle");
        assertEquals(text, text.resolvedAgainst(Path.of("/x")));
    }
}
