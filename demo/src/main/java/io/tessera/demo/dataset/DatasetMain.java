package io.tessera.demo.dataset;

import picocli.CommandLine;

/** Runs {@link DatasetCommand} on its own: {@code java -cp … io.tessera.demo.dataset.DatasetMain --seed S --size N --out DIR}. */
public final class DatasetMain {

    private DatasetMain() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new DatasetCommand()).execute(args));
    }
}
