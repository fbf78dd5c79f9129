package io.tessera.demo.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the dataset's JSON files. Output is byte-stable: map keys sorted, record fields in declaration
 * order, {@code \n} line ends, nulls written (the fields mirror Avro records, where every field is present).
 */
public final class DatasetJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter()
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private DatasetJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] manifestBytes(DatasetManifest manifest) {
        try {
            byte[] json = PRETTY.writeValueAsBytes(manifest);
            byte[] out = new byte[json.length + 1];
            System.arraycopy(json, 0, out, 0, json.length);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest is not serialisable", e);
        }
    }

    /** One compact JSON object per line, each line ended by {@code \n}. */
    public static byte[] jsonLines(List<?> records) {
        StringBuilder out = new StringBuilder();
        for (Object record : records) {
            try {
                out.append(MAPPER.writeValueAsString(record)).append('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("record is not serialisable: " + record, e);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads {@code manifest.json} (or the manifest in a dataset directory). */
    public static DatasetManifest readManifest(Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(DatasetManifest.FILE_NAME)
                : fileOrDirectory;
        DatasetManifest manifest;
        try {
            manifest = MAPPER.readValue(file.toFile(), DatasetManifest.class);
        } catch (JsonProcessingException e) {
            throw new DatasetFormatException(file + " is not a dataset manifest: " + e.getOriginalMessage(), e);
        }
        if (!DatasetManifest.FORMAT.equals(manifest.format())) {
            throw new DatasetFormatException(file + " has format '" + manifest.format() + "', expected '"
                    + DatasetManifest.FORMAT + "'", null);
        }
        if (manifest.formatVersion() > DatasetManifest.FORMAT_VERSION) {
            throw new DatasetFormatException(file + " has format version " + manifest.formatVersion()
                    + "; this build reads up to " + DatasetManifest.FORMAT_VERSION + ": update Tessera", null);
        }
        return manifest;
    }

    /** Reads a pairs file as written (content URIs relative to the file's directory). */
    public static List<TrainingPair> readPairs(Path file) throws IOException {
        return readLines(file, TrainingPair.class);
    }

    /** Reads a pairs file with every content URI made an absolute {@code file:} URI, ready to publish. */
    public static List<TrainingPair> readPairsResolved(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        return readPairs(file).stream().map(p -> p.resolvedAgainst(directory)).toList();
    }

    public static List<EvalQuery> readEvalQueries(Path file) throws IOException {
        return readLines(file, EvalQuery.class);
    }

    private static <T> List<T> readLines(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(MAPPER.readValue(line, type));
                } catch (JsonProcessingException e) {
                    throw new DatasetFormatException(file + " line " + number + " is not a valid "
                            + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
                } catch (IllegalArgumentException e) {
                    throw new DatasetFormatException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }
}
