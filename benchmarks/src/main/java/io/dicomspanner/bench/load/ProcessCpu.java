package io.dicomspanner.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CPU time of named processes from Linux's {@code /proc/<pid>/stat} (user + system), to say what one query costs each
 * part of the system. Readings are in clock ticks of 10 ms (USER_HZ is 100 on Linux); a process that is gone or not
 * readable reads -1.
 */
public final class ProcessCpu {
    private static final long MILLIS_PER_TICK = 10;

    private ProcessCpu() {}

    /** CPU milliseconds used so far by each process. */
    public static Map<String, Long> snapshot(Map<String, Long> pids) {
        Map<String, Long> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, cpuMillis(pid)));
        return out;
    }

    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state); utime is field 14, stime field 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MILLIS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Parses {@code name=pid,name=pid}. */
    public static Map<String, Long> parse(String spec) {
        Map<String, Long> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--cpu-pids wants name=pid,name=pid, not " + part);
            }
            out.put(
                    part.substring(0, eq).strip(),
                    Long.parseLong(part.substring(eq + 1).strip()));
        }
        return out;
    }

    /** CPU milliseconds each process used between two snapshots; -1 where either reading is missing. */
    public static Map<String, Long> used(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> out = new LinkedHashMap<>();
        after.forEach((name, end) -> {
            long begin = before.getOrDefault(name, -1L);
            out.put(name, end < 0 || begin < 0 ? -1 : end - begin);
        });
        return out;
    }

    /** A Markdown table (header included) of what each process used in {@code seconds}, per answered query. */
    public static List<String> table(Map<String, Long> cpuMillis, double seconds, long answered) {
        List<String> rows = new ArrayList<>();
        rows.add("| process | CPU s | share of one core | CPU ms per answered request |");
        rows.add("|---|---|---|---|");
        cpuMillis.forEach((name, millis) -> rows.add(String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s |",
                name,
                millis < 0 ? "?" : String.format(Locale.ROOT, "%.1f", millis / 1000.0),
                millis < 0 ? "?" : String.format(Locale.ROOT, "%.0f %%", 100.0 * millis / 1000.0 / seconds),
                millis < 0 || answered == 0 ? "?" : String.format(Locale.ROOT, "%.1f", (double) millis / answered))));
        return rows;
    }

    /** "machine WHEN: N processors, load average (1 min) L": what every figure of a load tool is read with. */
    public static String machine(String when) {
        return String.format(
                Locale.ROOT,
                "machine %s: %d processors, load average (1 min) %.2f",
                when,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
