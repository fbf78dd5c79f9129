package io.tessera.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.Schema;

/**
 * The released version of each event schema, kept in {@code src/main/avro-released/} in the portable form.
 *
 * <p>When a schema change is released, run {@code main} to record the current schemas as the new released ones:
 * {@code ./mvnw -q -pl schemas test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.tessera.events.ReleasedSchemas}. The evolution guard then holds later changes to them.
 */
public final class ReleasedSchemas {

    public static final Path DIRECTORY = Path.of("src/main/avro-released");

    private ReleasedSchemas() {
    }

    public static Schema released(String name) throws IOException {
        return new Schema.Parser().parse(Files.readString(DIRECTORY.resolve(name + ".avsc")));
    }

    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
        Files.createDirectories(directory);
        ObjectMapper json = new ObjectMapper();
        for (var entry : EventSchemas.TOP_LEVEL.entrySet()) {
            Object tree = json.readValue(EventSchemas.portableJson(entry.getValue()), Object.class);
            Path file = directory.resolve(entry.getKey() + ".avsc");
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(tree) + "\n");
            System.out.println("released " + file);
        }
    }
}
