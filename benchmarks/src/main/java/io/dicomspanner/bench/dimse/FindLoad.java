package io.dicomspanner.bench.dimse;

import io.dicomspanner.bench.load.Gateway;
import io.dicomspanner.bench.load.LatencySummary;
import io.dicomspanner.bench.load.ProcessCpu;
import io.dicomspanner.bench.load.QueryPlan;
import io.dicomspanner.bench.load.QueryTiming;
import io.dicomspanner.bench.load.SequentialBaseline;
import io.dicomspanner.bench.load.SourceEndpoint;
import io.dicomspanner.bench.load.ThinkTime;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many findscu-style clients against the dimse-scp-listener (targets and results in
 * {@code docs/benchmarks.md}, "DIMSE front door"). Each client opens an association per query, as findscu does, sends
 * one Study Root C-FIND, reads every response and releases. Run through {@code scripts/find-load.sh}.
 *
 * <p>By default every query is a study-level query of its own ({@link QueryPlan}: the next Patient ID of the simulated
 * population, read from the config's first PACS, and the run-tag Study Date range), so each one is a fan-out of its
 * own: never coalesced with another, never answered from an earlier run's cache. After the run each query is found in
 * the query log (its Patient ID, searched through its token, and its run tag, which the log keeps in clear) and its
 * status is read, which says how long each PACS took for that very query; each query then gets its time to the first
 * Pending and to the final response, its overhead over its slowest PACS, and the parts of that overhead, computed by
 * {@link QueryTiming} as for the QIDO-RS load test.
 *
 * <p>With {@code -k} keys instead, every client sends the same query (concurrent ones are then coalesced into
 * one fan-out, so it measures the listener and coalescing, and no per-query overhead is reported). Patient IDs are
 * never printed.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.dicomspanner.bench.dimse.FindLoad --config 2 --called SPANNER_BENCH \
 *     --clients 100 --queries 5
 * </pre>
 */
public final class FindLoad {

    private static final double OVERHEAD_P50_TARGET_MS = 15;
    private static final double OVERHEAD_P99_TARGET_MS = 50;
    /** How long the query log is waited for: the coordinator writes a query's row after answering it. */
    private static final Duration QUERY_LOG_WAIT = Duration.ofSeconds(30);

    static final String USAGE = """
            usage: FindLoad [options]
              --host H          the listener's host (default 127.0.0.1)
              --port P          its DICOM port (default 11112)
              --called AE       called AE title: the config's SCP AE title (default SPANNER_BENCH)
              --calling AE      calling AE title (default FINDLOAD)
              --clients N       concurrent clients (default 100)
              --queries N       queries per client, one after the other (default 5)
              --warmup N        first N queries per client in a phase of its own, not measured: the JIT of this
                                tool and of the services (default 0)
              --think-ms MS     mean pause of a client between a release and its next association, drawn from
                                0.5-1.5x; each client also starts after a random part of it (default 0)
              --gateway URL     api-gateway base URL, for the config's PACS, the query log and statuses
                                (default http://localhost:8001)
              --api-key KEY     admin API key (default: $SPANNER_API_KEY)
              --config ID       the spanning config the called AE title names (needed without -k)
              --seed S          seed of the run tag (default: the current time)
              --csv FILE        also write one line per query (times only, no query values) to FILE
              --cpu-pids N=PID,...  processes whose CPU time over the C-FINDs is reported per query
              -k KEY[=VALUE]    fixed keys: every client sends this same query; no per-query figures
            """;

    private FindLoad() {}

    /** One C-FIND as the SCU saw it; the times in microseconds are from the C-FIND's sending unless said otherwise. */
    record Exchange(
            QueryPlan.Query query,
            long associateMicros,
            long sentEpochMillis,
            long firstPendingMicros,
            long finalMicros,
            long receivedEpochMillis,
            long wholeMicros,
            int status,
            int matches) {

        /** Had a Pending response: {@link #firstPendingMicros} is -1 without one. */
        boolean hadPending() {
            return firstPendingMicros >= 0;
        }
    }

    /** A query and what the spanner recorded about it, when it could be found. */
    record Measured(Exchange exchange, QueryTiming timing) {
        boolean fannedOut() {
            return timing != null && exchange.status() == Status.SUCCESS && timing.fannedOut();
        }
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 11112;
        String called = "SPANNER_BENCH";
        String calling = "FINDLOAD";
        int clients = 100;
        int queries = 5;
        int warmup = 0;
        URI gatewayUri = URI.create("http://localhost:8001");
        String apiKey = System.getenv("SPANNER_API_KEY");
        long configId = -1;
        long seed = System.currentTimeMillis();
        ThinkTime think = new ThinkTime(Duration.ZERO);
        Map<String, Long> cpuPids = new LinkedHashMap<>();
        Path csv = null;
        Attributes keys = new Attributes();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--called" -> called = args[++i];
                case "--calling" -> calling = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--gateway" -> gatewayUri = URI.create(args[++i]);
                case "--api-key" -> apiKey = args[++i];
                case "--config" -> configId = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--think-ms" -> think = new ThinkTime(Duration.ofMillis(Long.parseLong(args[++i])));
                case "--csv" -> csv = Path.of(args[++i]);
                case "--cpu-pids" -> cpuPids.putAll(ProcessCpu.parse(args[++i]));
                case "-k" -> key(keys, args[++i]);
                case "--help" -> {
                    System.out.print(USAGE);
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        boolean fixed = !keys.isEmpty();
        if (!fixed && (configId < 0 || apiKey == null || apiKey.isBlank())) {
            System.err.print(
                    "per-query figures need --config and an admin API key (--api-key or $SPANNER_API_KEY)\n" + USAGE);
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        out.printf(
                Locale.ROOT,
                "FindLoad %s: %d clients x %d queries, think %d ms, to %s at %s:%d, %s%n",
                Instant.now(),
                clients,
                queries,
                think.mean().toMillis(),
                called,
                host,
                port,
                fixed ? "one fixed query" : "unique study queries, config " + configId + ", seed " + seed);
        out.println(ProcessCpu.machine("before"));
        DicomPeer peer = new DicomPeer(host, port, called, calling, false);
        DicomSettings settings = DicomSettings.builder()
                .responseTimeout(Duration.ofSeconds(300))
                .operationTimeout(Duration.ofSeconds(300))
                .build();
        Gateway gateway = fixed ? null : new Gateway(gatewayUri, apiKey);
        try (DicomClient client = new DicomClient(settings)) {
            QueryPlan plan = null;
            if (!fixed) {
                plan = plan(gateway, client, configId, seed, out);
            }
            if (!keys.contains(Tag.QUERY_RETRIEVE_LEVEL)) {
                keys.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
            }
            if (warmup > 0) {
                Run warm = run(client, peer, clients, warmup, think, ~seed, plan, keys);
                out.printf(
                        "warm-up, not measured: %d queries answered, %d errors%n",
                        warm.exchanges().size(), warm.errors());
            }
            cpuPids.put("FindLoad (this JVM)", ProcessHandle.current().pid());
            Instant from = Instant.now();
            Map<String, Long> cpuBefore = ProcessCpu.snapshot(cpuPids);
            long started = System.nanoTime();
            Run run = run(client, peer, clients, queries, think, seed, plan, keys);
            long wall = System.nanoTime() - started;
            Map<String, Long> cpu = ProcessCpu.used(cpuBefore, ProcessCpu.snapshot(cpuPids));
            Instant to = Instant.now().plusSeconds(1);
            out.println(ProcessCpu.machine("after the C-FINDs"));
            List<Measured> measured = fixed
                    ? run.exchanges().stream().map(e -> new Measured(e, null)).toList()
                    : withTimings(gateway, configId, run.exchanges(), from, to);
            report(out, measured, run.errors(), wall, clients, queries, !fixed);
            if (csv != null) {
                Files.write(csv, csvLines(measured));
            }
            out.printf(
                    Locale.ROOT,
                    "%nCPU time during the C-FINDs, %.1f s (all processes share %d cores):%n%n",
                    wall / 1e9,
                    Runtime.getRuntime().availableProcessors());
            ProcessCpu.table(cpu, wall / 1e9, measured.size()).forEach(out::println);
        }
    }

    /** The unique queries: Patient IDs of the population as the config's first PACS holds them. */
    private static QueryPlan plan(Gateway gateway, DicomClient client, long configId, long seed, PrintStream out)
            throws Exception {
        List<SourceEndpoint> sources = gateway.sources(configId);
        if (sources.isEmpty()) {
            throw new IllegalStateException("config " + configId + " has no enabled source");
        }
        List<String> ids = new SequentialBaseline(client).patientIds(sources.get(0));
        if (ids.isEmpty()) {
            throw new IllegalStateException(
                    "no Patient IDs found on " + sources.get(0).name());
        }
        out.printf(
                "config %d asks %d PACS; Patient IDs found on %s: %d%n",
                configId, sources.size(), sources.get(0).name(), ids.size());
        return new QueryPlan(ids, ids.get(0), seed);
    }

    private record Run(List<Exchange> exchanges, long errors) {}

    private static Run run(
            DicomClient client,
            DicomPeer peer,
            int clients,
            int queries,
            ThinkTime think,
            long seed,
            QueryPlan plan,
            Attributes fixedKeys)
            throws InterruptedException {
        List<Exchange> exchanges = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        CountDownLatch done = new CountDownLatch(clients);
        for (int c = 0; c < clients; c++) {
            Random random = ThinkTime.forClient(seed, c);
            threads.execute(() -> {
                try {
                    if (!think.isZero()) {
                        Thread.sleep(think.startMillis(random));
                    }
                    for (int q = 0; q < queries; q++) {
                        if (q > 0 && !think.isZero()) {
                            Thread.sleep(think.nextMillis(random));
                        }
                        QueryPlan.Query query = plan == null ? null : plan.nextUnique();
                        try {
                            exchanges.add(
                                    findOnce(client, peer, query, query == null ? fixedKeys : query.identifier()));
                        } catch (ExecutionException e) {
                            errors.incrementAndGet();
                            System.err.println("query failed: " + e.getCause());
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        threads.shutdown();
        return new Run(new ArrayList<>(exchanges), errors.get());
    }

    /** One findscu: associate, C-FIND, read every response, release. Times are taken on the thread that saw them. */
    private static Exchange findOnce(DicomClient client, DicomPeer peer, QueryPlan.Query query, Attributes keys)
            throws InterruptedException, ExecutionException {
        long start = System.nanoTime();
        Association association = client.connect(
                        peer, AssociationRequest.forQuery(peer.calledAeTitle(), peer.callingAeTitle()))
                .get();
        long sent = System.nanoTime();
        long sentEpochMillis = System.currentTimeMillis();
        AtomicLong firstPending = new AtomicLong(-1);
        long[] finalAt = new long[2];
        try {
            FindOutcome outcome = CFindScu.find(association, FindQuery.studyRoot(keys), (operation, match) -> {
                        firstPending.compareAndSet(-1, System.nanoTime() - sent);
                    })
                    .completion()
                    .thenApply(o -> {
                        // on the thread that read the final response, not after the hand-off to this one
                        finalAt[0] = System.nanoTime();
                        finalAt[1] = System.currentTimeMillis();
                        return o;
                    })
                    .get();
            association.release().get();
            long end = System.nanoTime();
            long pending = firstPending.get();
            return new Exchange(
                    query,
                    (sent - start) / 1000,
                    sentEpochMillis,
                    pending < 0 ? -1 : pending / 1000,
                    (finalAt[0] - sent) / 1000,
                    finalAt[1],
                    (end - start) / 1000,
                    outcome.status(),
                    outcome.matches());
        } catch (ExecutionException | InterruptedException e) {
            association.abort();
            throw e;
        }
    }

    /**
     * Finds each answered query's id in the query log and reads its status, waiting up to {@link #QUERY_LOG_WAIT} for
     * the rows the coordinator writes after answering.
     */
    private static List<Measured> withTimings(
            Gateway gateway, long configId, List<Exchange> exchanges, Instant from, Instant to)
            throws InterruptedException, ExecutionException {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            long giveUp = System.nanoTime() + QUERY_LOG_WAIT.toNanos();
            Map<Integer, Measured> byIndex = new TreeMap<>();
            List<Integer> open = new ArrayList<>();
            for (int i = 0; i < exchanges.size(); i++) {
                open.add(i);
            }
            while (true) {
                List<Future<Optional<QueryTiming>>> futures = new ArrayList<>();
                for (int i : open) {
                    Exchange e = exchanges.get(i);
                    futures.add(readers.submit(() -> timing(gateway, configId, e, from, to)));
                }
                List<Integer> stillOpen = new ArrayList<>();
                for (int k = 0; k < open.size(); k++) {
                    Optional<QueryTiming> t = futures.get(k).get();
                    int i = open.get(k);
                    if (t.isPresent() && t.get().completedEpochMillis() > 0) {
                        byIndex.put(i, new Measured(exchanges.get(i), t.get()));
                    } else {
                        stillOpen.add(i);
                    }
                }
                open = stillOpen;
                if (open.isEmpty() || System.nanoTime() > giveUp) {
                    break;
                }
                Thread.sleep(1000);
            }
            for (int i : open) {
                byIndex.put(i, new Measured(exchanges.get(i), null));
            }
            return new ArrayList<>(byIndex.values());
        } finally {
            readers.shutdown();
        }
    }

    private static Optional<QueryTiming> timing(Gateway gateway, long configId, Exchange e, Instant from, Instant to)
            throws Exception {
        QueryPlan.Query query = e.query();
        Optional<String> id = QueryLogMatch.queryId(
                gateway.queryLog(query.patientId(), "dimse", configId, from, to), query.studyDateRange());
        return id.isEmpty() ? Optional.empty() : gateway.status(id.get());
    }

    /**
     * One line per query, in the order answered: when the C-FIND was sent (epoch ms), the SCU's times (µs), and, when
     * its status was read, the spanner's (epoch ms, slowest PACS ms; -1 when not read). No query values: no PHI.
     */
    static List<String> csvLines(List<Measured> measured) {
        List<String> lines = new ArrayList<>();
        lines.add("sent_epoch_ms,associate_us,first_pending_us,final_us,whole_us,status,matches,"
                + "coordinator_took_epoch_ms,coordinator_answered_epoch_ms,slowest_pacs_ms,received_epoch_ms");
        for (Measured m : measured) {
            Exchange e = m.exchange();
            QueryTiming t = m.timing();
            lines.add(e.sentEpochMillis() + "," + e.associateMicros() + "," + e.firstPendingMicros() + ","
                    + e.finalMicros() + "," + e.wholeMicros() + "," + String.format("%04X", e.status()) + ","
                    + e.matches() + "," + (t == null ? -1 : t.createdEpochMillis()) + ","
                    + (t == null ? -1 : t.completedEpochMillis()) + "," + (t == null ? -1 : t.slowestSourceMillis())
                    + "," + e.receivedEpochMillis());
        }
        return lines;
    }

    private static void key(Attributes keys, String spec) {
        int eq = spec.indexOf('=');
        String keyword = eq < 0 ? spec : spec.substring(0, eq);
        int tag = ElementDictionary.standard().tagOf(keyword);
        if (tag == -1) {
            throw new IllegalArgumentException("no such keyword: " + keyword);
        }
        VR vr = ElementDictionary.standard().vrOf(tag);
        if (eq < 0 || eq == spec.length() - 1) {
            keys.setNull(tag, vr);
        } else {
            keys.setString(tag, vr, spec.substring(eq + 1));
        }
    }

    private static void report(
            PrintStream out,
            List<Measured> measured,
            long errors,
            long wallNanos,
            int clients,
            int queries,
            boolean perQuery) {
        Map<String, Integer> statuses = new TreeMap<>();
        long matches = 0;
        for (Measured m : measured) {
            statuses.merge(Status.toString(m.exchange().status()), 1, Integer::sum);
            matches += m.exchange().matches();
        }
        out.printf(
                Locale.ROOT,
                "%n%d clients x %d queries: %d answered, %d errors, %.1f s, %.1f queries/s, %.1f matches/query%n",
                clients,
                queries,
                measured.size(),
                errors,
                wallNanos / 1e9,
                measured.size() / (wallNanos / 1e9),
                measured.isEmpty() ? 0.0 : (double) matches / measured.size());
        out.println("final statuses: " + statuses);
        List<Measured> pending =
                measured.stream().filter(m -> m.exchange().hadPending()).toList();
        out.printf("%n### As the SCU saw it (ms)%n%n");
        out.print(LatencySummary.TABLE_HEADER);
        out.println(LatencySummary.of(measured, m -> m.exchange().associateMicros())
                .tableRow("association open (RQ → AC)"));
        out.println(LatencySummary.of(pending, m -> m.exchange().firstPendingMicros())
                .tableRow("first Pending, from the C-FIND sent"));
        out.println(LatencySummary.of(measured, m -> m.exchange().finalMicros())
                .tableRow("final response, from the C-FIND sent"));
        out.println(LatencySummary.of(measured, m -> m.exchange().wholeMicros())
                .tableRow("findscu's whole: association open → C-FIND → release done"));
        if (!perQuery) {
            return;
        }
        List<Measured> fannedOut = measured.stream().filter(Measured::fannedOut).toList();
        out.printf(
                "%nstatus read for %d of %d answered queries; %d fanned out and complete (not cached, not coalesced)%n",
                measured.stream().filter(m -> m.timing() != null).count(), measured.size(), fannedOut.size());
        List<Measured> fannedOutPending =
                fannedOut.stream().filter(m -> m.exchange().hadPending()).toList();
        out.printf("%n### Where each fanned-out query's time went (per query, from its status; ms)%n%n");
        out.print(LatencySummary.TABLE_HEADER.replace("measure", "part"));
        out.println(LatencySummary.of(fannedOut, m -> m.exchange().finalMicros())
                .tableRow("final response, from the C-FIND sent"));
        out.println(LatencySummary.of(fannedOut, m -> m.timing().slowestSourceMillis() * 1000)
                .tableRow("slowest PACS, as its worker measured it"));
        out.println(LatencySummary.of(fannedOut, FindLoad::overheadMicros).tableRow("**final − slowest PACS**"));
        out.println(LatencySummary.of(
                        fannedOutPending,
                        m -> m.timing().overheadMicros(m.exchange().firstPendingMicros()))
                .tableRow("first Pending − slowest PACS"));
        out.println(LatencySummary.of(
                        fannedOut, m -> m.timing().overheadMicros(m.exchange().wholeMicros()))
                .tableRow("findscu's whole (association to release) − slowest PACS"));
        out.println(LatencySummary.of(
                        fannedOut,
                        m -> m.timing().toCoordinatorMicros(m.exchange().sentEpochMillis()))
                .tableRow("C-FIND sent → coordinator took the request (listener, request queue)"));
        out.println(LatencySummary.of(fannedOut, m -> m.timing().inCoordinatorBeyondSlowestMicros())
                .tableRow("coordinator took it → answered, minus slowest PACS (fan-out, task queue, results, merge)"));
        out.println(LatencySummary.of(
                        fannedOut,
                        m -> m.timing().fromCoordinatorMicros(m.exchange().receivedEpochMillis()))
                .tableRow("coordinator answered → SCU has the final response (answer queue, listener, DIMSE)"));
        LatencySummary overhead = LatencySummary.of(fannedOut, FindLoad::overheadMicros);
        out.printf("%n### Targets (the QIDO-RS path's bounds)%n%n");
        target(
                out,
                "final − slowest PACS of the same query, p50 ≤ 15 ms",
                overhead,
                overhead.p50Micros(),
                OVERHEAD_P50_TARGET_MS);
        target(
                out,
                "final − slowest PACS of the same query, p99 ≤ 50 ms",
                overhead,
                overhead.p99Micros(),
                OVERHEAD_P99_TARGET_MS);
    }

    private static long overheadMicros(Measured m) {
        return m.timing().overheadMicros(m.exchange().finalMicros());
    }

    private static void target(PrintStream out, String what, LatencySummary s, long seenMicros, double limitMs) {
        out.printf(
                Locale.ROOT,
                "- %s: %s%n",
                what,
                s.count() == 0
                        ? "not measured"
                        : String.format(
                                Locale.ROOT,
                                "%.1f ms over %d queries, %s",
                                seenMicros / 1000.0,
                                s.count(),
                                seenMicros / 1000.0 <= limitMs ? "met" : "NOT met"));
    }
}
