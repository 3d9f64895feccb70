package io.dicomspanner.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time of named processes from Linux's {@code /proc/<pid>/stat} (user + system), to say what one query costs each
 * part of the system. Readings are in clock ticks of 10 ms (USER_HZ is 100 on Linux); a process that is gone or not
 * readable reads -1.
 */
final class ProcessCpu {
    private static final long MILLIS_PER_TICK = 10;

    private ProcessCpu() {}

    /** CPU milliseconds used so far by each process. */
    static Map<String, Long> snapshot(Map<String, Long> pids) {
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
    static Map<String, Long> parse(String spec) {
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
}
