package io.tessera.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tessera.stack.StackConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBenchServicesTest {

    @TempDir
    Path home;

    @Test
    void readsTheBenchmarksOwnOptionsFromItsArguments() {
        IndexBenchServices s = new IndexBenchServices(StackConfig.fromEnvironment(),
                List.of("--items", "1500", "--modalities", "image,text", "--threads", "2"));
        assertEquals("image,text", s.argument("modalities", "image"));
        assertEquals("2", s.argument("threads", "4"));
        assertEquals("tessera-base", s.argument("model", "tessera-base"));
    }

    @Test
    void withoutAStackItSaysSoAndStartsNothing() throws Exception {
        StackConfig down = StackConfig.fromEnvironment().withHome(home).withPorts(1, 2, 3, 4).withS3Port(5);
        int rc = new IndexBenchServices(down, List.of("--items", "10")).run((config, args, env) -> {
            fail("the benchmark must not start without a stack");
            return 0;
        });
        assertEquals(TesseraCommand.EXIT_NOT_RUNNING, rc);
    }

    @Test
    void aMistypedOptionIsAUsageErrorBeforeAnythingStarts() throws Exception {
        StackConfig down = StackConfig.fromEnvironment().withHome(home).withPorts(1, 2, 3, 4).withS3Port(5);
        for (List<String> wrong : List.of(List.of("--help"), List.of("--itmes", "10"), List.of("--items"),
                List.of("--modalities", "image,audio"))) {
            int rc = new IndexBenchServices(down, wrong).run((config, args, env) -> {
                fail("the benchmark must not start with " + wrong);
                return 0;
            });
            assertEquals(picocli.CommandLine.ExitCode.USAGE, rc, wrong.toString());
        }
    }
}
