package io.tessera.serde.bench;

import io.tessera.events.ContentReference;
import io.tessera.events.InlineBytes;
import io.tessera.events.MediaArrived;
import io.tessera.events.Modality;
import io.tessera.registry.RegistryConfig;
import io.tessera.registry.SchemaRegistryClient;
import io.tessera.serde.SpecificAvroDeserializer;
import io.tessera.serde.SpecificAvroSerializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Serialize + deserialize of a MediaArrived through Tessera's serde (wire format + registry client) against plain
 * Avro binary encoding of the same record, in the same run, for a 64 KB inline payload and a reference.
 *
 * <p>Method: both paths are warmed up, then measured in short alternating slices (serde, plain, plain, serde, ...),
 * so that load from other processes hits both alike; each case reports the median throughput of each path and the
 * median of the per-round overheads. A paired design instead of JMH's one-benchmark-after-another, because on a
 * shared machine the load changes between two JMH runs by more than the 10% being measured. Results feed a sink
 * the JIT cannot prove unused.
 *
 * <p>The serde talks to a real registry ({@code -Dtessera.registry.url}, the local stack's by default): the first
 * call registers the schema and fetches it by id; the harness checks that no HTTP request is made while measuring,
 * so the measured path is the cached one.
 *
 * <p>Run: {@code ./mvnw -q -pl schemas -Pbench test-compile exec:exec}. One line per case:
 * {@code serde <case> serde=<ops/s> plain=<ops/s> overhead=<pct>}; exit status 2 when a case is over 10%.
 */
public final class SerdeBenchmark {

    static final double MAX_OVERHEAD_PERCENT = 10.0;
    private static final long WARM_UP_NANOS = Long.getLong("bench.warmup.ms", 4_000) * 1_000_000;
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 40);
    private static final long SLICE_NANOS = Long.getLong("bench.slice.ms", 150) * 1_000_000;

    private static volatile long sink;

    private SerdeBenchmark() {
    }

    public static void main(String[] args) {
        String url = System.getProperty("tessera.registry.url", "http://127.0.0.1:8081/apis/ccompat/v7");
        boolean over = false;
        try (SchemaRegistryClient registry = new SchemaRegistryClient(RegistryConfig.of(url))) {
            for (String name : List.of("inline64k", "reference")) {
                over |= runCase(name, registry);
            }
        }
        System.out.println("registry: " + url + " (first call registers and fetches the schema; 0 HTTP requests during"
                + " measurement, checked)");
        if (over) {
            System.out.println("FAIL: overhead above " + MAX_OVERHEAD_PERCENT + "%");
            System.exit(2);
        }
    }

    private static boolean runCase(String name, SchemaRegistryClient registry) {
        MediaArrived record = record(name);
        String topic = "bench-serde-" + UUID.randomUUID();
        var serializer = new SpecificAvroSerializer<MediaArrived>(registry, Map.of(), false);
        var deserializer = new SpecificAvroDeserializer<>(registry, MediaArrived.class);
        SpecificData model = SpecificData.getForClass(MediaArrived.class);
        var plainWriter = new SpecificDatumWriter<MediaArrived>(MediaArrived.getClassSchema(), model);
        var plainReader = new SpecificDatumReader<MediaArrived>(MediaArrived.getClassSchema(), MediaArrived.getClassSchema(), model);

        Supplier<MediaArrived> serde = () -> deserializer.deserialize(topic, serializer.serialize(topic, record));
        Supplier<MediaArrived> plain = () -> {
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(256);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                plainWriter.write(record, encoder);
                encoder.flush();
                byte[] bytes = out.toByteArray();
                return plainReader.read(null, DecoderFactory.get().binaryDecoder(bytes, 0, bytes.length, null));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        if (!record.equals(serde.get()) || !record.equals(plain.get())) {
            throw new IllegalStateException("A path did not round-trip the benchmark record");
        }
        long requestsBefore = registry.requestCount();

        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < warmUpEnd) {
            slice(serde, SLICE_NANOS / 4);
            slice(plain, SLICE_NANOS / 4);
        }
        double[] serdeRates = new double[ROUNDS];
        double[] plainRates = new double[ROUNDS];
        double[] overheads = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            boolean serdeFirst = round % 2 == 0;
            double first = slice(serdeFirst ? serde : plain, SLICE_NANOS);
            double second = slice(serdeFirst ? plain : serde, SLICE_NANOS);
            serdeRates[round] = serdeFirst ? first : second;
            plainRates[round] = serdeFirst ? second : first;
            overheads[round] = (plainRates[round] - serdeRates[round]) / plainRates[round] * 100.0;
        }
        long requestsDuring = registry.requestCount() - requestsBefore;
        try {
            registry.deleteSubject(topic + "-value");
        } catch (RuntimeException ignored) {
            // A leftover subject under a random name is harmless.
        }
        if (requestsDuring != 0) {
            throw new IllegalStateException(requestsDuring + " registry request(s) while measuring: not the cached path");
        }
        double overhead = median(overheads);
        System.out.printf("serde %s serde=%.0f plain=%.0f overhead=%.1f%%%n", name, median(serdeRates),
                median(plainRates), overhead);
        return overhead > MAX_OVERHEAD_PERCENT;
    }

    /** Runs the operation for about {@code nanos} and returns operations per second. */
    private static double slice(Supplier<MediaArrived> operation, long nanos) {
        long start = System.nanoTime();
        long end = start + nanos;
        long ops = 0;
        long acc = 0;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                MediaArrived result = operation.get();
                acc += result.getMediaId().length() + result.getAttributes().size();
            }
            ops += 16;
            now = System.nanoTime();
        } while (now < end);
        sink += acc;
        return ops / ((now - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static MediaArrived record(String content) {
        Object body = switch (content) {
            case "inline64k" -> {
                byte[] data = new byte[64 * 1024];
                new Random(1).nextBytes(data);
                yield new InlineBytes(ByteBuffer.wrap(data));
            }
            case "reference" -> new ContentReference("file:///data/media/vid-0002.mp4", 73_400_320L,
                    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
            default -> throw new IllegalArgumentException("unknown case " + content);
        };
        return MediaArrived.newBuilder().setMediaId("media-000123").setTenant("acme").setModality(Modality.IMAGE)
                .setContentType("image/jpeg").setContent(body).setInstruction("Represent this photo for retrieval")
                .setAttributes(Map.of("camera", "x100", "caption", "a red bicycle on a bridge"))
                .setOccurredAt(Instant.parse("2025-05-17T08:30:12.345Z")).build();
    }
}
