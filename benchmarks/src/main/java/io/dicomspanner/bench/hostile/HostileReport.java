package io.dicomspanner.bench.hostile;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a hostile-input run found: each outcome of the HTTP requests and the DICOM connections, by family, and the
 * service-level findings (crashes, leaked connections, heap growth). The figures to reach are 0 crashes, 0 hangs, 0
 * answers in the 5xx range, 0 malformed requests accepted, 0 leaked connections and 0 services whose heap grew.
 */
public final class HostileReport {

    private final Map<Outcome, AtomicLong> http = counters();
    private final Map<Outcome, AtomicLong> dicom = counters();
    private final Map<String, AtomicLong> byFamily = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLongArray statuses = new AtomicLongArray(600);

    /** Services found down (no health, or unreachable) during or after the run. */
    int crashes;
    /** The listener's open connections once the run is over and its timeouts have passed. */
    double leakedConnections;
    /** Services whose heap used after a full GC grew by more than the tolerance. */
    int servicesWithHeapGrowth;

    final Map<String, String> heap = new TreeMap<>();

    private static Map<Outcome, AtomicLong> counters() {
        Map<Outcome, AtomicLong> counters = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, new AtomicLong());
        }
        return counters;
    }

    void http(QidoProbes.Family family, int status) {
        Outcome outcome = HttpProber.outcomeOf(status);
        http.get(outcome).incrementAndGet();
        if (status >= 0 && status < 600) {
            statuses.incrementAndGet(status);
        }
        if (outcome != Outcome.REFUSED) {
            byFamily.computeIfAbsent("http " + family + " " + outcome, k -> new AtomicLong())
                    .incrementAndGet();
        }
    }

    void dicom(DicomProbes.Family family, Outcome outcome) {
        dicom.get(outcome).incrementAndGet();
        if (outcome != Outcome.REFUSED && outcome != Outcome.CLIENT_WENT_AWAY) {
            byFamily.computeIfAbsent("dicom " + family + " " + outcome, k -> new AtomicLong())
                    .incrementAndGet();
        }
    }

    long http(Outcome outcome) {
        return http.get(outcome).get();
    }

    long dicom(Outcome outcome) {
        return dicom.get(outcome).get();
    }

    long hangs() {
        return http(Outcome.HANG) + dicom(Outcome.HANG);
    }

    long serverErrors() {
        return http(Outcome.SERVER_ERROR);
    }

    long unreachable() {
        return http(Outcome.UNREACHABLE) + dicom(Outcome.UNREACHABLE);
    }

    /** Whether every figure is 0. */
    public boolean clean() {
        return crashes == 0
                && unreachable() == 0
                && hangs() == 0
                && serverErrors() == 0
                && http(Outcome.ACCEPTED) == 0
                && leakedConnections == 0
                && servicesWithHeapGrowth == 0;
    }

    /** The report as text: the figures first, then the HTTP statuses seen and every family with a finding. */
    public String render() {
        long requests = http.values().stream().mapToLong(AtomicLong::get).sum();
        long connections = dicom.values().stream().mapToLong(AtomicLong::get).sum();
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "QIDO-RS requests: %d (refused 4xx: %d), DICOM connections: %d (ended by the listener: %d, client"
                        + " went away: %d)%n",
                requests,
                http(Outcome.REFUSED),
                connections,
                dicom(Outcome.REFUSED),
                dicom(Outcome.CLIENT_WENT_AWAY)));
        text.append(String.format(Locale.ROOT, "crashes (service down or unreachable): %d%n", crashes + unreachable()));
        text.append(String.format(
                Locale.ROOT, "hangs: %d (HTTP %d, DICOM %d)%n", hangs(), http(Outcome.HANG), dicom(Outcome.HANG)));
        text.append(String.format(Locale.ROOT, "5xx answers: %d%n", serverErrors()));
        text.append(String.format(Locale.ROOT, "malformed requests accepted (2xx): %d%n", http(Outcome.ACCEPTED)));
        text.append(String.format(
                Locale.ROOT, "leaked connections (listener gauge after the run): %.0f%n", leakedConnections));
        text.append(String.format(Locale.ROOT, "services whose heap grew: %d%n", servicesWithHeapGrowth));
        heap.forEach((service, figures) -> text.append("  heap ")
                .append(service)
                .append(": ")
                .append(figures)
                .append('\n'));
        text.append("HTTP statuses:");
        for (int status = 0; status < 600; status++) {
            long count = statuses.get(status);
            if (count > 0) {
                text.append(' ')
                        .append(status == 0 ? "closed" : Integer.toString(status))
                        .append('=')
                        .append(count);
            }
        }
        text.append('\n');
        new TreeMap<>(byFamily)
                .forEach((family, count) -> text.append("  ")
                        .append(family)
                        .append(": ")
                        .append(count.get())
                        .append('\n'));
        text.append(clean() ? "RESULT: clean (0 of each)\n" : "RESULT: FINDINGS\n");
        return text.toString();
    }
}
