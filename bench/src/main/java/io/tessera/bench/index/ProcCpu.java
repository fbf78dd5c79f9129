package io.tessera.bench.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time from Linux' {@code /proc}: per process (with its descendants), per thread of a process (by its name,
 * {@code comm}, which the JVM sets to the first 15 characters of the Java thread's name and which native threads
 * inherit from the thread that created them), and of the whole machine. User plus system time, in seconds.
 * Everything reads as zero where {@code /proc} does not exist (not Linux).
 */
final class ProcCpu {

    /** Clock ticks per second of {@code /proc}'s times: 100 on every Linux this runs on ({@code getconf CLK_TCK}). */
    static final double TICKS = 100.0;

    private ProcCpu() {
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/stat"));
    }

    /** Busy CPU seconds of the whole machine, every core (user, nice, system, irq, softirq, steal). */
    static double machineSeconds() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                        busy += i < f.length ? Long.parseLong(f[i]) : 0;
                    }
                    return busy / TICKS;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return 0;
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime of one process (all its threads, living and ended) plus its descendants, in seconds. */
    static double processTreeSeconds(long pid) {
        Map<Long, List<Long>> children = children();
        double total = 0;
        List<Long> todo = new ArrayList<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.removeLast();
            total += statSeconds(Path.of("/proc", Long.toString(p), "stat"));
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return total;
    }

    /** CPU seconds per thread of a process, keyed by "tid name". */
    static Map<String, Double> threads(long pid) {
        Map<String, Double> out = new LinkedHashMap<>();
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (Stream<Path> all = Files.list(tasks)) {
            for (Path t : all.toList()) {
                String[] stat = stat(t.resolve("stat"));
                if (stat != null) {
                    out.put(t.getFileName() + " " + stat[0], seconds(stat));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return out;
    }

    /** Per thread CPU seconds spent between two {@link #threads} snapshots (threads that started meanwhile count whole). */
    static Map<String, Double> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new HashMap<>();
        after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0.0)));
        return out;
    }

    private static Map<Long, List<Long>> children() {
        Map<Long, List<Long>> out = new HashMap<>();
        try (Stream<Path> all = Files.list(Path.of("/proc"))) {
            for (Path p : all.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] stat = stat(p.resolve("stat"));
                if (stat != null) {
                    out.computeIfAbsent(Long.parseLong(stat[2]), k -> new ArrayList<>()).add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return out;
    }

    private static double statSeconds(Path file) {
        String[] stat = stat(file);
        return stat == null ? 0 : seconds(stat);
    }

    /** utime (field 14) + stime (15). The array: [comm, state, ppid, pgrp, ...] (fields 2.. of the stat line). */
    private static double seconds(String[] stat) {
        return (Long.parseLong(stat[12]) + Long.parseLong(stat[13])) / TICKS;
    }

    /** The fields of a stat line from comm on (comm may hold spaces and parentheses: it ends at the last ')'). */
    private static String[] stat(Path file) {
        try {
            String line = Files.readString(file);
            int open = line.indexOf('(');
            int close = line.lastIndexOf(')');
            String comm = line.substring(open + 1, close);
            String[] rest = line.substring(close + 2).trim().split("\\s+");
            String[] out = new String[rest.length + 1];
            out[0] = comm;
            System.arraycopy(rest, 0, out, 1, rest.length);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
