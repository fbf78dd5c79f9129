package io.tessera.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "The main job end to end (stack, services, dataset, index, train, reindex, search page).")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("tessera demo: not available yet (issue 8). Meanwhile: ./tessera stack up, ./tessera test.");
        return 2;
    }
}
