package io.tessera.bench.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class CpuTableTest {

    @Test
    void threadsOfTheIndexerMapToStages() {
        assertThat(CpuTable.stage("indexer-consume")).isEqualTo("poll");
        assertThat(CpuTable.stage("indexer-decode-")).isEqualTo("decode");
        assertThat(CpuTable.stage("batcher-image-0")).isEqualTo("inference");
        assertThat(CpuTable.stage("indexer-start")).isEqualTo("inference");
        assertThat(CpuTable.stage("indexer-writer")).isEqualTo("write");
        assertThat(CpuTable.stage("grpc-nio-worker")).isEqualTo("write");
        assertThat(CpuTable.stage("indexer-stage-1")).isEqualTo("event");
        assertThat(CpuTable.stage("C2 CompilerThre")).isEqualTo("jit+gc");
        assertThat(CpuTable.stage("VM Thread")).isEqualTo("jit+gc");
        assertThat(CpuTable.stage("vert.x-eventloo")).isEqualTo("other threads");
    }

    @Test
    void procSeesThisProcessAndItsNamedThreads() throws Exception {
        assumeTrue(ProcCpu.available(), "Linux /proc");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch spunDone = new CountDownLatch(1);
        Thread busy = Thread.ofPlatform().name("cpu-table-test").start(() -> {
            // 200 ms of this thread's own CPU, not of wall time: on a loaded machine a wall-clock spin got 50 ms.
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long until = mx.getCurrentThreadCpuTime() + 200_000_000L;
            double x = 0;
            while (mx.getCurrentThreadCpuTime() < until) {
                for (int i = 0; i < 10_000; i++) {
                    x += Math.sqrt(x + 1);
                }
            }
            spunDone.countDown();
            try {
                stop.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(spunDone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long pid = ProcessHandle.current().pid();
        Map<String, Double> threads = ProcCpu.threads(pid);
        stop.countDown();
        busy.join();
        assertThat(threads.keySet()).anyMatch(k -> k.endsWith(" cpu-table-test"));
        double spun = threads.entrySet().stream().filter(e -> e.getKey().endsWith(" cpu-table-test"))
                .mapToDouble(Map.Entry::getValue).sum();
        assertThat(spun).isGreaterThan(0.05);
        assertThat(ProcCpu.processTreeSeconds(pid)).isGreaterThanOrEqualTo(spun);
        assertThat(ProcCpu.machineSeconds()).isGreaterThan(0);
    }

    @Test
    void tableGivesCoreMillisecondsPerItemAndSplitsMeasuredApartShares() {
        Map<String, Double> processes = new LinkedHashMap<>();
        processes.put("kafka", 1.0);
        processes.put(CpuTable.BENCH, 2.0);
        processes.put(CpuTable.OTHER, 0.0);
        processes.put(CpuTable.MACHINE, 3.0);
        Map<String, Double> indexerThreads = Map.of("11 indexer-decode-", 1.0, "12 batcher-image-0", 2.0,
                "13 indexer-start", 1.0, "14 indexer-writer", 0.5);
        Map<String, Double> benchThreads = Map.of("21 plain-loop", 3.0, "22 ort-bench", 1.0);
        Map<PlainLoop.Stage, Long> loop = new EnumMap<>(PlainLoop.Stage.class);
        for (PlainLoop.Stage s : PlainLoop.Stage.values()) {
            loop.put(s, 0L);
        }
        loop.put(PlainLoop.Stage.DECODE, 1_000_000_000L);
        loop.put(PlainLoop.Stage.EMBED, 2_000_000_000L);
        IndexBenchmark.Phase plain = new IndexBenchmark.Phase(10, processes, benchThreads);
        IndexBenchmark.Phase e2e = new IndexBenchmark.Phase(20, processes, indexerThreads);
        List<String> lines = CpuTable.render("image", 1000, plain, loop, e2e, List.of("kafka"), 0.5, 0.1);
        assertThat(lines).anyMatch(l -> l.matches("\\s+process kafka\\s+1\\.00\\s+1\\.00"));
        // e2e: decode threads 1.0 s = 1.0 ms/item, 0.1 of it Avro; batcher + ORT 3.0 ms/item, 0.5 of it preprocessing.
        assertThat(lines).anyMatch(l -> l.matches("\\s+stage avro\\*\\s+0\\.00\\s+0\\.10"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+stage decode\\s+1\\.00\\s+0\\.90"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+stage preprocess\\*\\s+0\\.50\\s+0\\.50"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+stage inference\\s+2\\.50\\s+2\\.50"));
        assertThat(lines).anyMatch(l -> l.matches("\\s+stage write\\s+0\\.00\\s+0\\.50"));
    }
}
