package io.dicomspanner.bench.dimse;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many findscu-style clients against one C-FIND SCP (the dimse-scp-listener, or a PACS alone for the baseline): each
 * client opens an association per query, as findscu does, sends one Study Root C-FIND, reads every response and
 * releases. Prints, over all queries, time to the first Pending response and to the final response (p50, p95, p99,
 * max) and the final statuses.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.dicomspanner.bench.dimse.FindLoad \
 *     --host 127.0.0.1 --port 11112 --called SPANNER --clients 100 --queries 5 \
 *     -k QueryRetrieveLevel=STUDY -k StudyDate=20250101-20250103 -k StudyInstanceUID -k PatientID
 * </pre>
 */
public final class FindLoad {

    /** One query's figures; {@code firstPendingNanos} is -1 when it had no match. */
    record Timing(long firstPendingNanos, long finalNanos, int status, int matches) {}

    private FindLoad() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 11112;
        String called = "SPANNER";
        String calling = "FINDLOAD";
        int clients = 100;
        int queries = 5;
        Attributes keys = new Attributes();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--called" -> called = args[++i];
                case "--calling" -> calling = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "-k" -> key(keys, args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see the class comment)");
            }
        }
        if (!keys.contains(Tag.QUERY_RETRIEVE_LEVEL)) {
            keys.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        }
        DicomPeer peer = new DicomPeer(host, port, called, calling, false);
        List<Timing> timings = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        DicomSettings settings = DicomSettings.builder()
                .responseTimeout(Duration.ofSeconds(300))
                .operationTimeout(Duration.ofSeconds(300))
                .build();
        long started = System.nanoTime();
        try (DicomClient client = new DicomClient(settings)) {
            ExecutorService threads = Executors.newFixedThreadPool(clients);
            CountDownLatch done = new CountDownLatch(clients);
            int perClient = queries;
            for (int c = 0; c < clients; c++) {
                threads.execute(() -> {
                    try {
                        for (int q = 0; q < perClient; q++) {
                            try {
                                timings.add(findOnce(client, peer, keys));
                            } catch (Exception e) {
                                errors.incrementAndGet();
                                System.err.println("query failed: " + e);
                            }
                        }
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            threads.shutdown();
        }
        long wall = System.nanoTime() - started;
        report(timings, errors.get(), wall, clients, queries);
    }

    private static Timing findOnce(DicomClient client, DicomPeer peer, Attributes keys) throws Exception {
        long start = System.nanoTime();
        var association = client.connect(peer, AssociationRequest.forQuery(peer.calledAeTitle(), peer.callingAeTitle()))
                .get();
        AtomicLong firstPending = new AtomicLong(-1);
        try {
            FindOutcome outcome = CFindScu.find(association, FindQuery.studyRoot(keys), (operation, match) -> {
                        firstPending.compareAndSet(-1, System.nanoTime() - start);
                    })
                    .completion()
                    .get();
            long end = System.nanoTime() - start;
            return new Timing(firstPending.get(), end, outcome.status(), outcome.matches());
        } finally {
            association.release().get();
        }
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

    private static void report(List<Timing> timings, long errors, long wallNanos, int clients, int queries) {
        List<Long> first = new ArrayList<>();
        List<Long> last = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        long matches = 0;
        for (Timing t : timings) {
            if (t.firstPendingNanos() >= 0) {
                first.add(t.firstPendingNanos());
            }
            last.add(t.finalNanos());
            statuses.merge(Status.toString(t.status()), 1, Integer::sum);
            matches += t.matches();
        }
        System.out.printf(
                "%d clients x %d queries: %d answered, %d errors, %.1f s wall, %.1f queries/s, %.1f matches/query%n",
                clients,
                queries,
                timings.size(),
                errors,
                wallNanos / 1e9,
                timings.size() / (wallNanos / 1e9),
                timings.isEmpty() ? 0.0 : (double) matches / timings.size());
        System.out.println("final statuses: " + statuses);
        System.out.println("first Pending (ms): " + percentiles(first));
        System.out.println("final response (ms): " + percentiles(last));
    }

    private static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "none";
        }
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(
                "p50 %.0f, p95 %.0f, p99 %.0f, max %.0f (n=%d)",
                at(sorted, 0.50),
                at(sorted, 0.95),
                at(sorted, 0.99),
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size());
    }

    private static double at(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i))) / 1e6;
    }
}
