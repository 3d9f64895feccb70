package io.dicomspanner.bench.hostile;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throws malformed QIDO-RS requests at a running api-gateway and malformed PDU streams and associations at a running
 * dimse-scp-listener, then reports crashes, hangs, 5xx answers, malformed requests accepted, leaked connections
 * (the listener's {@code spanner_listener_connections_open} once the run is over) and heap growth (heap used after a
 * full GC, by {@code jcmd <pid> GC.run} and {@code jvm_memory_used_bytes{area="heap"}}, after a warm-up tenth of the
 * run and after the run). Exit status 0 when every figure is 0, 1 otherwise. {@code scripts/hostile-input.sh} runs it
 * against the local system; {@code --help} lists the options.
 */
public final class HostileInput {

    private HostileInput() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        if (options.containsKey("help")) {
            System.out.println(HELP);
            return;
        }
        URI gateway = URI.create(option(options, "gateway", "http://127.0.0.1:8001"));
        String apiKey = options.getOrDefault("api-key", System.getenv("SPANNER_API_KEY"));
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("--api-key (or SPANNER_API_KEY) is required");
        }
        int configId = Integer.parseInt(option(options, "config-id", "1"));
        String[] listener = option(options, "listener", "127.0.0.1:11112").split(":");
        URI listenerHttp = URI.create(option(options, "listener-http", "http://127.0.0.1:8004"));
        int qidoCount = Integer.parseInt(option(options, "qido", "10000"));
        int dicomCount = Integer.parseInt(option(options, "dicom", "10000"));
        int concurrency = Integer.parseInt(option(options, "concurrency", "16"));
        long seed = Long.parseLong(option(options, "seed", "1"));
        Duration answerTimeout = Duration.ofSeconds(Long.parseLong(option(options, "answer-timeout-seconds", "10")));
        Duration closeTimeout = Duration.ofSeconds(Long.parseLong(option(options, "close-timeout-seconds", "15")));
        Duration findTimeout = Duration.ofSeconds(Long.parseLong(option(options, "find-timeout-seconds", "60")));
        int slowLorisEvery = Integer.parseInt(option(options, "slow-loris-every", "200"));
        long heapToleranceBytes = Long.parseLong(option(options, "heap-tolerance-mb", "32")) * 1024 * 1024;

        List<QidoProbes.Probe> qido = QidoProbes.generate(seed, qidoCount, "/dicomweb/" + configId, configId);
        List<DicomProbes.Stream> dicom = DicomProbes.generate(
                seed,
                dicomCount,
                option(options, "called-ae", "SPANNER"),
                option(options, "calling-ae", "HOSTILE"),
                slowLorisEvery);
        HttpProber http = new HttpProber(gateway.getHost(), gateway.getPort(), apiKey, answerTimeout);
        DicomProber dicomProber =
                new DicomProber(listener[0], Integer.parseInt(listener[1]), closeTimeout, findTimeout);
        Map<String, Service> services = new LinkedHashMap<>();
        services.put("api-gateway", new Service(new Prometheus(gateway, apiKey), options.get("gateway-pid")));
        services.put(
                "dimse-scp-listener", new Service(new Prometheus(listenerHttp, null), options.get("listener-pid")));

        HostileReport report = new HostileReport();
        AtomicBoolean[] down = {new AtomicBoolean(), new AtomicBoolean()};
        ScheduledExecutorService monitor = Executors.newSingleThreadScheduledExecutor();
        List<Service> serviceList = new ArrayList<>(services.values());
        monitor.scheduleAtFixedRate(
                () -> {
                    for (int i = 0; i < serviceList.size(); i++) {
                        if (!serviceList.get(i).metrics.healthy()) {
                            down[i].set(true);
                        }
                    }
                },
                0,
                5,
                TimeUnit.SECONDS);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long started = System.nanoTime();
        int warmQido = qido.size() / 10;
        int warmDicom = dicom.size() / 10;
        run(pool, qido.subList(0, warmQido), dicom.subList(0, warmDicom), http, dicomProber, report);
        Map<String, Double> heapBefore = new LinkedHashMap<>();
        services.forEach((name, service) -> heapBefore.put(name, service.heapAfterGc()));
        run(
                pool,
                qido.subList(warmQido, qido.size()),
                dicom.subList(warmDicom, dicom.size()),
                http,
                dicomProber,
                report);
        pool.shutdown();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

        // connections the listener must still close: its own timeouts, then the gauge must read 0
        Prometheus listenerMetrics = services.get("dimse-scp-listener").metrics;
        long settleUntil = System.nanoTime() + closeTimeout.plusSeconds(15).toNanos();
        OptionalDouble open = listenerMetrics.sum("spanner_listener_connections_open", "");
        while ((open.isEmpty() || open.getAsDouble() > 0) && System.nanoTime() < settleUntil) {
            Thread.sleep(1000);
            open = listenerMetrics.sum("spanner_listener_connections_open", "");
        }
        report.leakedConnections = open.isPresent() ? open.getAsDouble() : Double.NaN;
        if (open.isEmpty()) {
            report.leakedConnections = -1;
        }
        for (Map.Entry<String, Service> entry : services.entrySet()) {
            double before = heapBefore.get(entry.getKey());
            double after = entry.getValue().heapAfterGc();
            boolean grew = Double.isNaN(before) || Double.isNaN(after) || after - before > heapToleranceBytes;
            if (grew) {
                report.servicesWithHeapGrowth++;
            }
            report.heap.put(
                    entry.getKey(),
                    String.format(
                            Locale.ROOT,
                            "%.1f MiB after GC before, %.1f MiB after (tolerance %d MiB)%s",
                            before / 1048576,
                            after / 1048576,
                            heapToleranceBytes / 1048576,
                            entry.getValue().pid == null ? ", no pid: heap used without a forced GC" : ""));
        }
        monitor.shutdownNow();
        for (int i = 0; i < serviceList.size(); i++) {
            if (down[i].get() || !serviceList.get(i).metrics.healthy()) {
                report.crashes++;
            }
        }
        System.out.print(report.render());
        System.out.println("took " + seconds + " s");
        System.exit(report.clean() ? 0 : 1);
    }

    /** The QIDO-RS requests and DICOM connections, interleaved over the pool; waits for all. */
    private static void run(
            ExecutorService pool,
            List<QidoProbes.Probe> qido,
            List<DicomProbes.Stream> dicom,
            HttpProber http,
            DicomProber dicomProber,
            HostileReport report)
            throws Exception {
        List<Future<?>> futures = new ArrayList<>(qido.size() + dicom.size());
        int n = Math.max(qido.size(), dicom.size());
        for (int i = 0; i < n; i++) {
            if (i < qido.size()) {
                QidoProbes.Probe probe = qido.get(i);
                futures.add(pool.submit(() -> report.http(probe.family(), http.send(probe))));
            }
            if (i < dicom.size()) {
                DicomProbes.Stream stream = dicom.get(i);
                futures.add(pool.submit(() -> report.dicom(stream.family(), dicomProber.run(stream))));
            }
        }
        for (Future<?> future : futures) {
            future.get();
        }
    }

    /** A service under test: its metrics and, if known, its process id for a forced GC. */
    private record Service(Prometheus metrics, String pid) {
        /** Heap used after a full GC (forced with jcmd when the pid is known); NaN when unreadable. */
        double heapAfterGc() {
            if (pid != null) {
                try {
                    new ProcessBuilder("jcmd", pid, "GC.run")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor(60, TimeUnit.SECONDS);
                    Thread.sleep(2000);
                } catch (Exception e) {
                    return Double.NaN;
                }
            }
            return metrics.sum("jvm_memory_used_bytes", "area=\"heap\"").orElse(Double.NaN);
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i] + " (--help lists the options)");
            }
            String name = args[i].substring(2);
            if (name.equals("help")) {
                options.put(name, "");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
        }
        return options;
    }

    private static String option(Map<String, String> options, String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private static final String HELP = """
            HostileInput: malformed QIDO-RS requests and DICOM PDU streams against a running spanner.
              --gateway URL                 api-gateway plain HTTP base (http://127.0.0.1:8001)
              --api-key KEY                 a key with the query scope (default: $SPANNER_API_KEY)
              --config-id N                 the config the requests name (1)
              --listener HOST:PORT          dimse-scp-listener DICOM port (127.0.0.1:11112)
              --listener-http URL           its actuator base (http://127.0.0.1:8004)
              --called-ae AE                the config's SCP AE title (SPANNER)
              --calling-ae AE               (HOSTILE)
              --qido N, --dicom N           requests and connections (10000 each)
              --concurrency N               at once (16)
              --seed N                      the generators' seed (1)
              --answer-timeout-seconds N    an HTTP answer later than this is a hang (10)
              --close-timeout-seconds N     a DICOM connection the listener cannot use must be closed by it within
                                            this: its artim-timeout (10 s) plus a margin (15)
              --find-timeout-seconds N      a C-FIND with a malformed identifier must be answered and released
                                            within this (60)
              --slow-loris-every N          one connection in N drips its A-ASSOCIATE-RQ a byte per 300 ms (200)
              --gateway-pid PID, --listener-pid PID
                                            for a full GC (jcmd PID GC.run) before each heap reading
              --heap-tolerance-mb N         heap growth after GC tolerated per service (32)
            """;
}
