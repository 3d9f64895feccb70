package io.dicomspanner.bench.load;

import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * The spanning-latency load test (targets and results in {@code docs/benchmarks.md}): many concurrent
 * QIDO-RS clients against a running spanner, compared with asking the same PACS one after the other by hand. Run
 * through {@code scripts/load-test.sh}; {@link LoadOptions#USAGE} lists the options.
 *
 * <ol>
 *   <li>Reads the config's PACS from the admin API and takes Patient IDs from the first PACS (one C-FIND).
 *   <li>Baseline: for each of {@code --baseline-queries} queries, a C-FIND to each PACS alone, one after the other, each
 *       on a new association (what a user with {@code findscu} does); then the same query through the spanner by one
 *       client.
 *   <li>Load: {@code --clients} closed-loop clients, unique queries (cache misses) and one repeated query (cache hits).
 *   <li>Reads every measured query's status, which says how long the slowest PACS took for that very query, and
 *       reports latency minus slowest PACS, the parts of the path, and the targets.
 * </ol>
 *
 * Patient IDs are never printed.
 */
public final class LoadTest {
    private static final double OVERHEAD_P50_TARGET_MS = 15;
    private static final double OVERHEAD_P99_TARGET_MS = 50;
    private static final double CACHE_HIT_P99_TARGET_MS = 10;

    private final LoadOptions options;
    private final Gateway gateway;
    private final PrintStream out;
    /** Set by the baseline: the figures the loaded spanner is compared with. */
    private LatencySummary baselineSlowest = LatencySummary.EMPTY;

    private LatencySummary baselineSequential = LatencySummary.EMPTY;
    /** Set by the baseline: spanning queries per second the PACS' associations allow, or 0 when not measured. */
    private double pacsBoundPerSecond;

    private String pacsBoundBy;

    private LoadTest(LoadOptions options, PrintStream out) {
        this.options = options;
        this.gateway = new Gateway(options.gateway(), options.apiKey());
        if (options.verify() > 0 || !options.faults().isEmpty()) {
            gateway.keepingBodies();
        }
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.print(LoadOptions.USAGE);
            return;
        }
        LoadOptions options;
        try {
            options = LoadOptions.parse(args, System.getenv("SPANNER_API_KEY"));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        new LoadTest(options, System.out).run();
    }

    /** A measured search and, when it could be read, what the spanner recorded about it. */
    record Measured(LoadRun.Sample sample, QueryTiming timing) {}

    private void run() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        out.printf(
                Locale.ROOT,
                "load test %s: %d clients, think %d ms, warm-up %d s, %s, repeated share %.2f, config %d, seed %d%n",
                Instant.now(),
                options.clients(),
                options.thinkTime().toMillis(),
                options.warmUp().toSeconds(),
                options.requests() > 0
                        ? options.requests() + " requests"
                        : options.duration().toSeconds() + " s",
                options.repeatedShare(),
                options.configId(),
                options.seed());
        out.println(ProcessCpu.machine("before"));
        List<SourceEndpoint> sources = gateway.sources(options.configId());
        if (sources.isEmpty()) {
            throw new IllegalStateException("config " + options.configId() + " has no enabled source");
        }
        out.printf(
                "PACS of the config: %d (%s)%n",
                sources.size(),
                String.join(
                        ", ",
                        sources.stream()
                                .map(src -> src.name() + " max " + src.maxAssociations() + " associations")
                                .toList()));
        try (DicomClient dicom = new DicomClient(DicomSettings.defaults())) {
            SequentialBaseline baseline = new SequentialBaseline(dicom);
            List<String> ids = baseline.patientIds(sources.get(0));
            int k = options.baselineQueries();
            if (ids.size() < k + 2) {
                throw new IllegalStateException("only " + ids.size() + " Patient IDs found on "
                        + sources.get(0).name());
            }
            out.printf("Patient IDs found on %s: %d%n", sources.get(0).name(), ids.size());
            String repeated = ids.get(0);
            QueryPlan plan = new QueryPlan(ids.subList(1, ids.size() - k), repeated, options.seed());
            // the tool has no client certificate: the baseline asks the PACS reached without DICOM TLS
            List<SourceEndpoint> plain =
                    sources.stream().filter(src -> !src.tls()).toList();
            if (k > 0 && plain.size() < sources.size()) {
                out.printf(
                        "the baseline asks the %d PACS without DICOM TLS (not %s: the tool has no client"
                                + " certificate)%n",
                        plain.size(),
                        String.join(
                                ", ",
                                sources.stream()
                                        .filter(SourceEndpoint::tls)
                                        .map(SourceEndpoint::name)
                                        .toList()));
            }
            if (k > 0 && !plain.isEmpty()) {
                baseline(
                        baseline,
                        plain,
                        new QueryPlan(ids.subList(ids.size() - k, ids.size()), repeated, options.seed() + 1));
            }
            load(plan);
        }
        out.println(ProcessCpu.machine("after"));
    }

    private void baseline(SequentialBaseline baseline, List<SourceEndpoint> sources, QueryPlan plan)
            throws InterruptedException {
        List<SequentialBaseline.QueryTimes> byHand = new ArrayList<>();
        List<Measured> spanned = new ArrayList<>();
        int failedByHand = 0;
        for (int i = 0; i < options.baselineQueries(); i++) {
            QueryPlan.Query query = plan.nextUnique();
            SequentialBaseline.QueryTimes times = baseline.ask(sources, query.identifier());
            if (times.allSucceeded()) {
                byHand.add(times);
            } else {
                failedByHand++;
            }
            Gateway.Answer answer = gateway.studies(query.qido(options.configId()));
            spanned.add(new Measured(new LoadRun.Sample(LoadRun.Mix.UNIQUE, query, answer), timing(answer)));
        }
        out.printf(
                "%n## Baseline: %d queries, each asked of the %d PACS alone one after the other (new association each),"
                        + " then through the spanner by one client%n%n",
                options.baselineQueries(), sources.size());
        out.print(LatencySummary.TABLE_HEADER);
        row(
                "by hand: " + sources.size() + " PACS one after the other (associate + C-FIND + release, summed)",
                LatencySummary.of(byHand, SequentialBaseline.QueryTimes::sequentialMicros));
        row(
                "by hand: slowest single PACS's C-FIND",
                LatencySummary.of(byHand, SequentialBaseline.QueryTimes::slowestFindMicros));
        for (int p = 0; p < sources.size(); p++) {
            int index = p;
            row(
                    "by hand: " + sources.get(p).name() + " C-FIND",
                    LatencySummary.of(byHand, q -> q.pacs().get(index).findMicros()));
        }
        row(
                "by hand: association set-up (any PACS)",
                LatencySummary.of(byHand.stream()
                        .flatMap(q -> q.pacs().stream())
                        .mapToLong(SequentialBaseline.PacsTime::associateMicros)
                        .toArray()));
        List<Measured> ok =
                spanned.stream().filter(m -> m.sample().answer().ok()).toList();
        out.printf("%nfailed by hand: %d; spanner errors: %d%n", failedByHand, spanned.size() - ok.size());
        out.printf("%n### The same queries through the spanner, one client: where the time went (ms)%n%n");
        breakdown(ok.stream().filter(LoadTest::fannedOut).toList());
        LatencySummary sequential = LatencySummary.of(byHand, SequentialBaseline.QueryTimes::sequentialMicros);
        LatencySummary oneClient =
                LatencySummary.of(ok, m -> m.sample().answer().latencyMicros());
        if (oneClient.count() > 0) {
            out.printf(
                    Locale.ROOT,
                    "ratio by hand / spanner (one client): p50 %.1f, mean %.1f%n",
                    (double) sequential.p50Micros() / oneClient.p50Micros(),
                    (double) sequential.meanMicros() / oneClient.meanMicros());
        }
        baselineSlowest = LatencySummary.of(byHand, SequentialBaseline.QueryTimes::slowestFindMicros);
        pacsBound(sources, byHand);
        baselineSequential = sequential;
    }

    private void load(QueryPlan plan) throws InterruptedException, ExecutionException {
        LoadRun.Result result = new LoadRun(gateway, plan, options).run();
        double seconds = result.measuredNanos() / 1e9;
        List<Measured> measured = withTimings(result.samples());
        out.printf(
                Locale.ROOT,
                "%n## Load: %d clients, %.1f s measured, %d unique queries issued in all (warm-up included)%n%n",
                options.clients(),
                seconds,
                plan.uniqueIssued());
        out.println("| mix | requests | errors | answers/s | p50 ms | p90 ms | p99 ms | max ms | mean ms |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (LoadRun.Mix mix : LoadRun.Mix.values()) {
            List<Measured> ofMix =
                    measured.stream().filter(m -> m.sample().mix() == mix).toList();
            List<Measured> ok =
                    ofMix.stream().filter(m -> m.sample().answer().ok()).toList();
            LatencySummary s = LatencySummary.of(ok, m -> m.sample().answer().latencyMicros());
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %d | %.1f | %s | %s | %s | %s | %s |%n",
                    mix.name().toLowerCase(Locale.ROOT),
                    ofMix.size(),
                    ofMix.size() - ok.size(),
                    ok.size() / seconds,
                    LatencySummary.millis(s.p50Micros()),
                    LatencySummary.millis(s.p90Micros()),
                    LatencySummary.millis(s.p99Micros()),
                    LatencySummary.millis(s.maxMicros()),
                    LatencySummary.millis(s.meanMicros()));
        }
        long answered = measured.stream().filter(m -> m.sample().answer().ok()).count();
        out.printf(
                Locale.ROOT,
                "%nCPU time in the measured %.1f s (all processes share %d cores):%n%n",
                seconds,
                Runtime.getRuntime().availableProcessors());
        ProcessCpu.table(result.cpuMillis(), seconds, answered).forEach(out::println);
        out.printf(
                "%nMemory%s over the measured time, sampled every %d s:%n%n",
                options.rabbitmqVhost() == null ? "" : " and queue depths",
                options.sampleInterval().toSeconds());
        result.resources().tables().forEach(out::println);
        littlesLaw(answered / seconds);
        if (!options.faults().isEmpty()) {
            faults(result);
        }
        if (options.verify() > 0 || !options.faults().isEmpty()) {
            List<LoadRun.Sample> unique = result.samples().stream()
                    .filter(sample -> sample.mix() == LoadRun.Mix.UNIQUE)
                    .toList();
            out.printf("%n### Answers checked%n%n");
            AnswerCheck.check(unique, gateway, options.configId(), options.verify())
                    .lines()
                    .forEach(line -> out.println("- " + line));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        measured.forEach(m -> statuses.merge(m.sample().answer().status(), 1, Integer::sum));
        out.println();
        out.println("HTTP status counts (-1 = no answer): " + statuses);

        List<Measured> unique = measured.stream()
                .filter(m -> m.sample().mix() == LoadRun.Mix.UNIQUE
                        && m.sample().answer().ok())
                .toList();
        List<Measured> fannedOut = unique.stream().filter(LoadTest::fannedOut).toList();
        List<Measured> repeated = measured.stream()
                .filter(m -> m.sample().mix() == LoadRun.Mix.REPEATED
                        && m.sample().answer().ok())
                .toList();
        List<Measured> hits = repeated.stream()
                .filter(m -> m.timing() != null && m.timing().fromCache())
                .toList();
        out.printf(
                "status read for %d of %d answered unique queries: %d fanned out and complete, %d from cache, %d"
                        + " coalesced; repeated query: %d of %d answered from the cache%n",
                unique.stream().filter(m -> m.timing() != null).count(),
                unique.size(),
                fannedOut.size(),
                unique.stream()
                        .filter(m -> m.timing() != null && m.timing().fromCache())
                        .count(),
                unique.stream()
                        .filter(m -> m.timing() != null && m.timing().coalesced())
                        .count(),
                hits.size(),
                repeated.size());

        out.printf("%n### Where a unique query's time went (per query, from its status; ms)%n%n");
        breakdown(fannedOut);
        row(
                "cache hits (repeated query, from_cache)",
                LatencySummary.of(hits, m -> m.sample().answer().latencyMicros()));
        row(
                "cache hits: sent → the answering service took it (gateway, or coordinator)",
                LatencySummary.of(
                        hits,
                        m -> m.timing().toCoordinatorMicros(m.sample().answer().sentEpochMillis())));
        row(
                "cache hits: taken → answered (config, Redis look-up, status, answer)",
                LatencySummary.of(
                        hits,
                        m -> (m.timing().completedEpochMillis() - m.timing().createdEpochMillis()) * 1000));
        row(
                "cache hits: answered → client has the body",
                LatencySummary.of(
                        hits,
                        m -> m.timing()
                                .fromCoordinatorMicros(m.sample().answer().receivedEpochMillis())));

        tailBreakdown(fannedOut);

        LatencySummary overhead = LatencySummary.of(fannedOut, LoadTest::overheadMicros);
        LatencySummary misses =
                LatencySummary.of(fannedOut, m -> m.sample().answer().latencyMicros());
        LatencySummary cacheHits =
                LatencySummary.of(hits, m -> m.sample().answer().latencyMicros());
        out.printf("%n### Targets%n%n");
        target(
                "latency − slowest PACS of the same query, p50 ≤ " + (int) OVERHEAD_P50_TARGET_MS + " ms",
                overhead.count() > 0,
                overhead.p50Micros() / 1000.0,
                OVERHEAD_P50_TARGET_MS);
        target(
                "latency − slowest PACS of the same query, p99 ≤ " + (int) OVERHEAD_P99_TARGET_MS + " ms",
                overhead.count() > 0,
                overhead.p99Micros() / 1000.0,
                OVERHEAD_P99_TARGET_MS);
        target(
                "cache hits p99 < " + (int) CACHE_HIT_P99_TARGET_MS + " ms",
                cacheHits.count() > 0,
                cacheHits.p99Micros() / 1000.0,
                CACHE_HIT_P99_TARGET_MS - 0.001);
        if (baselineSlowest.count() > 0 && misses.count() > 0) {
            out.printf(
                    Locale.ROOT,
                    "- against the by-hand baseline's slowest PACS: spanning p50 − slowest p50 = %.1f ms, p99 − p99 ="
                            + " %.1f ms%n",
                    (misses.p50Micros() - baselineSlowest.p50Micros()) / 1000.0,
                    (misses.p99Micros() - baselineSlowest.p99Micros()) / 1000.0);
            out.printf(
                    Locale.ROOT,
                    "- ratio by hand (8 PACS one after the other) / spanning under this load: p50 %.2f, p99 %.2f%n",
                    (double) baselineSequential.p50Micros() / misses.p50Micros(),
                    (double) baselineSequential.p99Micros() / misses.p99Micros());
        }
    }

    /** The parts of the fanned-out queries' latency, per query, from their status. */
    private void breakdown(List<Measured> fannedOut) {
        out.print(LatencySummary.TABLE_HEADER.replace("measure", "part"));
        parts(fannedOut, "");
    }

    /**
     * The same parts over the slowest 1 % of the fanned-out queries by latency − slowest PACS: the means of the three
     * parts after the slowest PACS add up to theirs (to within whole milliseconds), which the p99 of each part cannot
     * tell, taken as they are from different queries.
     */
    private void tailBreakdown(List<Measured> fannedOut) {
        List<Measured> tail = LatencySummary.tail(fannedOut, LoadTest::overheadMicros, 99);
        if (tail.isEmpty()) {
            return;
        }
        out.printf("%n### Where the slowest 1 %% lost their time (%d queries; ms)%n%n", tail.size());
        out.print(LatencySummary.TABLE_HEADER.replace("measure", "part"));
        parts(tail, "tail: ");
    }

    private void parts(List<Measured> fannedOut, String prefix) {
        row(
                prefix + "client latency",
                LatencySummary.of(fannedOut, m -> m.sample().answer().latencyMicros()));
        row(
                prefix + "slowest PACS, as its worker measured it (task taken → last batch published)",
                LatencySummary.of(fannedOut, m -> m.timing().slowestSourceMillis() * 1000));
        row(prefix + "**latency − slowest PACS**", LatencySummary.of(fannedOut, LoadTest::overheadMicros));
        row(
                prefix + "sent → coordinator took the request (HTTP, gateway, request queue)",
                LatencySummary.of(
                        fannedOut,
                        m -> m.timing().toCoordinatorMicros(m.sample().answer().sentEpochMillis())));
        row(
                prefix + "coordinator took it → answered, minus slowest PACS (fan-out, task queue, results, merge)",
                LatencySummary.of(fannedOut, m -> m.timing().inCoordinatorBeyondSlowestMicros()));
        row(
                prefix + "coordinator answered → client has the body (answer queue, gateway, HTTP)",
                LatencySummary.of(
                        fannedOut,
                        m -> m.timing()
                                .fromCoordinatorMicros(m.sample().answer().receivedEpochMillis())));
    }

    /** A unique query that the spanner really fanned out and completed, with a latency for its slowest PACS. */
    private static boolean fannedOut(Measured m) {
        return m.timing() != null && m.timing().fannedOut();
    }

    private static long overheadMicros(Measured m) {
        return m.timing().overheadMicros(m.sample().answer().latencyMicros());
    }

    private List<Measured> withTimings(List<LoadRun.Sample> samples) throws InterruptedException, ExecutionException {
        ExecutorService readers = Executors.newFixedThreadPool(4);
        try {
            List<Future<Measured>> futures = new ArrayList<>();
            for (LoadRun.Sample sample : samples) {
                futures.add(readers.submit(() -> new Measured(sample, timing(sample.answer()))));
            }
            List<Measured> out = new ArrayList<>();
            for (Future<Measured> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            readers.shutdown();
        }
    }

    /**
     * Little's law for each PACS: with {@code max_associations} C-FINDs at once, each taking its mean time alone, it
     * answers at most max / mean C-FINDs per second; a spanning query asks every PACS once, so the slowest of these
     * rates bounds the spanning queries per second.
     */
    private void pacsBound(List<SourceEndpoint> sources, List<SequentialBaseline.QueryTimes> byHand) {
        if (byHand.isEmpty()) {
            return;
        }
        double bound = Double.MAX_VALUE;
        for (int p = 0; p < sources.size(); p++) {
            int index = p;
            double meanSeconds = byHand.stream()
                            .mapToLong(q -> q.pacs().get(index).findMicros())
                            .average()
                            .orElse(0)
                    / 1e6;
            double rate = sources.get(p).maxAssociations() / meanSeconds;
            if (meanSeconds > 0 && rate < bound) {
                bound = rate;
                pacsBoundBy = String.format(
                        Locale.ROOT,
                        "%s: %d associations / %.1f ms mean C-FIND",
                        sources.get(p).name(),
                        sources.get(p).maxAssociations(),
                        meanSeconds * 1000);
            }
        }
        pacsBoundPerSecond = bound == Double.MAX_VALUE ? 0 : bound;
    }

    private void littlesLaw(double answersPerSecond) {
        if (pacsBoundPerSecond <= 0) {
            out.printf("%nPACS bound (Little's law): not measured (needs --baseline-queries > 0)%n");
            return;
        }
        out.printf(
                Locale.ROOT,
                "%nPACS bound (Little's law): %.1f spanning queries/s (%s); answered %.1f/s = %.0f %% of it%n",
                pacsBoundPerSecond,
                pacsBoundBy,
                answersPerSecond,
                100 * answersPerSecond / pacsBoundPerSecond);
    }

    /**
     * What was done to the system and what clients got around it: answers received per sample interval (complete,
     * partial, errors), from which how long recovery took is read.
     */
    private void faults(LoadRun.Result result) {
        out.printf("%n### Faults%n%n");
        for (Fault.Outcome f : result.faults()) {
            out.printf(
                    Locale.ROOT,
                    "- at %.1f s: `%s` (took %.1f s, exit %d%s)%n",
                    (f.startedEpochMillis() - result.measureFromEpochMillis()) / 1000.0,
                    f.fault().command(),
                    (f.endedEpochMillis() - f.startedEpochMillis()) / 1000.0,
                    f.exitCode(),
                    f.lastLine().isEmpty() ? "" : ": " + f.lastLine());
        }
        long bucket = options.sampleInterval().toMillis();
        TreeMap<Long, int[]> timeline = new TreeMap<>();
        for (LoadRun.Sample s : result.samples()) {
            long at = (s.answer().receivedEpochMillis() - result.measureFromEpochMillis()) / bucket;
            int[] counts = timeline.computeIfAbsent(at, k -> new int[3]);
            if (!s.answer().ok()) {
                counts[2]++;
            } else if (s.answer().warning() != null) {
                counts[1]++;
            } else {
                counts[0]++;
            }
        }
        out.printf("%n| answered in (s) | complete | partial | errors |%n|---|---|---|---|%n");
        timeline.forEach((at, c) -> out.printf(
                Locale.ROOT,
                "| %d–%d | %d | %d | %d |%n",
                at * bucket / 1000,
                (at + 1) * bucket / 1000,
                c[0],
                c[1],
                c[2]));
    }

    private QueryTiming timing(Gateway.Answer answer) throws InterruptedException {
        if (answer.queryId() == null) {
            return null;
        }
        Optional<QueryTiming> t = gateway.status(answer.queryId());
        return t.orElse(null);
    }

    private void row(String name, LatencySummary s) {
        out.println(s.tableRow(name));
    }

    private void target(String what, boolean measured, double seenMs, double limitMs) {
        out.printf(
                Locale.ROOT,
                "- %s: %s%n",
                what,
                measured
                        ? String.format(Locale.ROOT, "%.1f ms, %s", seenMs, seenMs <= limitMs ? "met" : "NOT met")
                        : "not measured");
    }
}
