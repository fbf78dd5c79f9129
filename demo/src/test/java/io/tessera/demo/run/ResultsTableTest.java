package io.tessera.demo.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tessera.demo.dataset.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

    @Test
    void oneRowPerTaskWithRecallBeforeAndAfter() {
        Map<Task, Recall> before = Map.of(Task.T2I, new Recall(Task.T2I, 1, List.of(2, 0, 1, 3)),
                Task.T2D, new Recall(Task.T2D, 1, List.of(0, 1)));
        Map<Task, Recall> after = Map.of(Task.T2I, new Recall(Task.T2I, 2, List.of(1, 1, 1, 2)),
                Task.T2D, new Recall(Task.T2D, 2, List.of(1, 1)));
        List<String> lines = ResultsTable.format("tessera-tiny", before, after).lines().toList();
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("before = v1") && lines.get(0).contains("after = v2"), lines.get(0));
        assertTrue(lines.get(1).startsWith(ResultsTable.HEADER_START) && lines.get(1).contains("R@1 BEFORE")
                && lines.get(1).contains("R@1 AFTER"), lines.get(1));
        List<String> image = List.of(lines.get(2).substring(22).trim().split("\\s+"));
        assertTrue(lines.get(2).startsWith("text -> image"), lines.get(2));
        assertEquals(List.of("4", "0.250", "0.750", "0.750", "1.000", "0.750", "1.000"), image);
        assertTrue(lines.get(3).startsWith("text -> document page"), lines.get(3));
    }
}
