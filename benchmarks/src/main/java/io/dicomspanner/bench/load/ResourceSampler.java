package io.dicomspanner.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a load run holds while it runs, sampled at a fixed interval over the measured time: the resident memory (RSS,
 * Linux {@code /proc/<pid>/status} VmRSS) of the watched processes, and, given a RabbitMQ virtual host, the depth of the
 * spanner's queues ({@code rabbitmqctl list_queues}). A load run's memory is flat and its queues bounded when the last
 * samples are no higher than the earlier ones; the tables show first, last and highest.
 *
 * <p>Queues are grouped by what they hold: the span requests, the per-PACS task queues (summed), the dead letters, and
 * every other spanner queue (the instances' answer and result queues, summed).
 */
final class ResourceSampler {
    /** Resident memory of one process over the run, KiB; -1 when unreadable. */
    record Memory(long firstKib, long lastKib, long maxKib) {}

    /** Messages ready in one group of queues over the run. */
    record Depth(long first, long last, long max) {}

    private final Map<String, Long> pids;
    private final String vhost;
    private final Map<String, List<Long>> rss = new LinkedHashMap<>();
    private final Map<String, List<Long>> depths = new LinkedHashMap<>();
    private String brokerProblem;

    /** @param vhost the spanner's RabbitMQ virtual host; null: queues are not sampled */
    ResourceSampler(Map<String, Long> pids, String vhost) {
        this.pids = pids;
        this.vhost = vhost;
        pids.keySet().forEach(name -> rss.put(name, new ArrayList<>()));
    }

    /** Takes one sample (memory of every process, depth of every queue group). */
    synchronized void sample() {
        pids.forEach((name, pid) -> rss.get(name).add(rssKib(pid)));
        if (vhost != null && brokerProblem == null) {
            Map<String, Long> groups = queueDepths();
            groups.forEach((group, messages) ->
                    depths.computeIfAbsent(group, g -> new ArrayList<>()).add(messages));
        }
    }

    synchronized Map<String, Memory> memory() {
        Map<String, Memory> out = new LinkedHashMap<>();
        rss.forEach((name, samples) -> out.put(
                name,
                samples.isEmpty()
                        ? new Memory(-1, -1, -1)
                        : new Memory(
                                samples.get(0),
                                samples.get(samples.size() - 1),
                                samples.stream()
                                        .mapToLong(Long::longValue)
                                        .max()
                                        .orElse(-1))));
        return out;
    }

    synchronized Map<String, Depth> queues() {
        Map<String, Depth> out = new LinkedHashMap<>();
        depths.forEach((group, samples) -> out.put(
                group,
                new Depth(
                        samples.get(0),
                        samples.get(samples.size() - 1),
                        samples.stream().mapToLong(Long::longValue).max().orElse(0))));
        return out;
    }

    /** Why queue depths could not be read, or null. */
    synchronized String brokerProblem() {
        return brokerProblem;
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private Map<String, Long> queueDepths() {
        Map<String, Long> groups = new LinkedHashMap<>();
        groups.put("spanner.requests", 0L);
        groups.put("spanner.tasks.source.* (all)", 0L);
        groups.put("spanner.dead-letters", 0L);
        groups.put("other spanner queues (answers, results)", 0L);
        try {
            Process p = new ProcessBuilder(
                            "rabbitmqctl", "-q", "--no-table-headers", "list_queues", "-p", vhost, "name", "messages")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                brokerProblem = "rabbitmqctl list_queues failed: " + out.strip();
                return Map.of();
            }
            for (String line : out.split("\n")) {
                String[] f = line.strip().split("\\s+");
                if (f.length != 2 || !f[0].startsWith("spanner.")) {
                    continue;
                }
                groups.merge(groupOf(f[0]), Long.parseLong(f[1]), Long::sum);
            }
            return groups;
        } catch (IOException | RuntimeException e) {
            brokerProblem = "rabbitmqctl not usable: " + e.getMessage();
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    static String groupOf(String queue) {
        if (queue.equals("spanner.requests") || queue.equals("spanner.dead-letters")) {
            return queue;
        }
        if (queue.startsWith("spanner.tasks.source.")) {
            return "spanner.tasks.source.* (all)";
        }
        return "other spanner queues (answers, results)";
    }

    /** Markdown tables (headers included) of the samples. */
    List<String> tables() {
        List<String> rows = new ArrayList<>();
        rows.add("| process | RSS MB, first sample | last | highest |");
        rows.add("|---|---|---|---|");
        memory().forEach((name, m) -> rows.add(String.format(
                Locale.ROOT, "| %s | %s | %s | %s |", name, mb(m.firstKib()), mb(m.lastKib()), mb(m.maxKib()))));
        if (vhost != null) {
            rows.add("");
            if (brokerProblem() != null) {
                rows.add("queue depths not read: " + brokerProblem());
            } else {
                rows.add("| queues (virtual host " + vhost + ") | messages, first sample | last | highest |");
                rows.add("|---|---|---|---|");
                queues().forEach((group, d) -> rows.add(
                        String.format(Locale.ROOT, "| %s | %d | %d | %d |", group, d.first(), d.last(), d.max())));
            }
        }
        return rows;
    }

    private static String mb(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
    }
}
