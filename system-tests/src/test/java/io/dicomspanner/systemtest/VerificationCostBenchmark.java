package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.OrthancPeer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What verifying a matching key a PACS ignores costs: a study query with {@code ModalitiesInStudy} through the
 * spanner, against one source at a time. Two groups of sources hold the same studies within the group:
 *
 * <ul>
 *   <li>real peers: dcmqrscp ignores the key and does not return it (peer-quirks.md), so it is verified study by study
 *       (it takes no relational query); Orthanc honours it; Orthanc registered as if it ignored it returns the value,
 *       so its records are checked locally at no extra C-FIND;
 *   <li>two simulator processes with the same seed, so their PACS_A hold the same studies: one that neither stores nor
 *       matches ModalitiesInStudy, registered once relational (verified with one series query per requested
 *       modality) and once hierarchical (study by study), and one that honours the key. Each C-FIND of the simulated
 *       PACS waits {@value #SIMULATED_LATENCY_MS} ms before answering.
 * </ul>
 *
 * Within a group every source must find the same studies, each with CT in its ModalitiesInStudy, and give no
 * warning: the benchmark fails otherwise. It prints a Markdown table (also written to
 * {@code target/system-tests/<run>/verification-cost.md}); docs/benchmarks.md quotes it.
 *
 * <p>A benchmark, not a test: run on demand with
 * {@code ./mvnw -B -o -pl system-tests -am verify -Dtest=VerificationCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dspanner.benchmark=true} (settings {@code spanner.benchmark.patients}, default 60 patients of 2 studies of 2 series
 * on the peers and 60 patients in the simulated population, and {@code spanner.benchmark.queries}, default 20
 * measured queries per source and query, after 3 not counted).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "spanner.benchmark", matches = "true")
class VerificationCostBenchmark {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("verifycost");

    private static final int PATIENTS = Integer.getInteger("spanner.benchmark.patients", 60);
    private static final int QUERIES = Integer.getInteger("spanner.benchmark.queries", 20);
    private static final int WARMUP = 3;
    private static final int SIMULATED_LATENCY_MS = 20;

    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(4711, PATIENTS, 2, 2, 1);

    /** The modalities of the series of the n-th study, cycled: a third of the studies have a CT series. */
    private static final List<List<String>> SERIES_MODALITIES = List.of(
            List.of("CT", "CT"),
            List.of("MR", "MR"),
            List.of("CT", "SR"),
            List.of("CR", "CR"),
            List.of("US", "US"),
            List.of("PT", "PT"));

    /**
     * One measured source: its group (sources holding the same studies), its name in the table, how it verifies, its
     * source and single-source config ids.
     */
    private record Measured(String group, String name, String verification, long sourceId, long configId) {}

    private final List<Measured> measured = new ArrayList<>();
    private Fleet.Service worker;

    @BeforeAll
    void startFleet() throws Exception {
        List<Path> files = PeerFiles.part10(
                STUDIES.studies(),
                FLEET.runDir().resolve("peer-files"),
                PeerFiles.cycled(STUDIES.studies(), SERIES_MODALITIES));
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(
                DcmqrscpPeer.builder().aeTitle("DCMQRSCP").files(files).start());
        OrthancPeer orthanc = FLEET.closeAfterAll(
                OrthancPeer.builder().aeTitle("ORTHANC_COST").dicomWeb(false).start());
        orthanc.upload(files);

        List<String> simulated = List.of("--latency-ms", Integer.toString(SIMULATED_LATENCY_MS));
        List<String> withoutKey = new ArrayList<>(simulated);
        withoutKey.addAll(List.of("--unstored", "PACS_A=ModalitiesInStudy"));
        SimulatorProcess.Pacs simIgnoring = FLEET.startSimulator(1, PATIENTS, withoutKey, "simulator-ignoring")
                .pacs()
                .get(0);
        SimulatorProcess.Pacs simHonouring = FLEET.startSimulator(1, PATIENTS, simulated, "simulator-honouring")
                .pacs()
                .get(0);

        Map<String, Object> ignoring = Map.of("unmatched_keys", List.of("ModalitiesInStudy"));
        add(
                "peers",
                "dcmqrscp",
                "per study (it ignores the key)",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                with(ignoring, false));
        add(
                "peers",
                "Orthanc",
                "none (it honours the key)",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                with(Map.of(), true));
        add(
                "peers",
                "Orthanc declared as ignoring",
                "local (it returns the value)",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                with(ignoring, true));
        add(
                "simulated",
                "simulated, no ModalitiesInStudy, relational",
                "per requested modality",
                simIgnoring.aeTitle(),
                simIgnoring.host(),
                simIgnoring.port(),
                with(ignoring, true));
        add(
                "simulated",
                "simulated, no ModalitiesInStudy, hierarchical",
                "per study",
                simIgnoring.aeTitle(),
                simIgnoring.host(),
                simIgnoring.port(),
                with(ignoring, false));
        add(
                "simulated",
                "simulated, honouring",
                "none (it honours the key)",
                simHonouring.aeTitle(),
                simHonouring.host(),
                simHonouring.port(),
                with(Map.of(), true));

        FLEET.startCoordinator("spanner-coordinator");
        worker = FLEET.startWorker(
                "dimse-query-worker",
                measured.stream().map(Measured::sourceId).toList(),
                Map.of("spanner.worker.verification-max-subqueries", "1000"));
    }

    private static Map<String, Object> with(Map<String, Object> extra, boolean relational) {
        Map<String, Object> fields = new LinkedHashMap<>(extra);
        fields.put("relational_queries", relational);
        fields.put("information_models", List.of("study_root"));
        fields.put("query_timeout_seconds", 60);
        return fields;
    }

    private void add(
            String group,
            String name,
            String verification,
            String aeTitle,
            String host,
            int port,
            Map<String, Object> fields)
            throws Exception {
        long sourceId = FLEET.registerSource(name, aeTitle, host, port, fields);
        long config = FLEET.createConfig(name, Fleet.comparedConfig(Map.of("timeout_seconds", 120)));
        FLEET.mapSources(config, List.of(sourceId));
        measured.add(new Measured(group, name, verification, sourceId, config));
    }

    /** The StudyDate of the middle study: a range up to it holds about half of the studies. */
    private static String middleDate() {
        List<String> dates = STUDIES.studies().stream()
                .map(SyntheticStudy::studyDate)
                .sorted()
                .toList();
        return dates.get(dates.size() / 2);
    }

    /** One row of the table. */
    private record Row(
            String source,
            String verification,
            String query,
            int studies,
            double cfindsPerQuery,
            double p50Millis,
            double p95Millis,
            double workerMillis) {}

    @Test
    void verificationCost() throws Exception {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("`ModalitiesInStudy=CT`", "ModalitiesInStudy=CT");
        queries.put(
                "`ModalitiesInStudy=CT&StudyDate=…-middle`", "ModalitiesInStudy=CT&StudyDate=19000101-" + middleDate());
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> query : queries.entrySet()) {
            Map<String, Set<String>> firstOfGroup = new LinkedHashMap<>();
            for (Measured m : measured) {
                rows.add(measure(m, query.getKey(), query.getValue()));
                Map<String, Set<String>> answer = answer(m, query.getValue());
                // Verified per requested modality, ModalitiesInStudy lists only the requested ones a study has.
                assertThat(answer.values())
                        .as(m.name())
                        .allSatisfy(v -> assertThat(v).contains("CT"));
                Set<String> first = firstOfGroup.putIfAbsent(m.group(), answer.keySet());
                if (first == null) {
                    assertThat(answer)
                            .as(m.name() + ": the query finds studies")
                            .isNotEmpty();
                } else {
                    assertThat(answer.keySet())
                            .as(m.name() + " finds the studies its group's first source finds")
                            .isEqualTo(first);
                }
            }
        }
        String table = table(rows);
        System.out.println(table);
        Files.writeString(FLEET.runDir().resolve("verification-cost.md"), table, StandardCharsets.UTF_8);
    }

    private Row measure(Measured m, String label, String query) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            qido(m, query);
        }
        String source = "source=\"" + m.sourceId() + "\"";
        double subqueriesBefore = FLEET.metric(worker, "spanner_worker_verification_subqueries_total", source);
        double tasksBefore = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", source);
        double taskSecondsBefore = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_sum", source);
        double[] millis = new double[QUERIES];
        int studies = 0;
        for (int i = 0; i < QUERIES; i++) {
            long start = System.nanoTime();
            HttpAnswer answer = qido(m, query);
            millis[i] = (System.nanoTime() - start) / 1e6;
            studies = answer.dicom().size();
        }
        double subqueries =
                FLEET.metric(worker, "spanner_worker_verification_subqueries_total", source) - subqueriesBefore;
        double tasks = FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_count", source) - tasksBefore;
        double taskSeconds =
                FLEET.metric(worker, "spanner_worker_cfind_duration_seconds_sum", source) - taskSecondsBefore;
        assertThat(tasks).as("one task per query").isEqualTo(QUERIES);
        Arrays.sort(millis);
        return new Row(
                m.name(),
                m.verification(),
                label,
                studies,
                1 + subqueries / QUERIES,
                percentile(millis, 0.50),
                percentile(millis, 0.95),
                taskSeconds * 1000 / tasks);
    }

    private HttpAnswer qido(Measured m, String query) throws Exception {
        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/studies?" + query + "&spanner_config_id=" + m.configId());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as(m.name() + ": every key verified").isEmpty();
        return answer;
    }

    /** The studies of one source's answer with their ModalitiesInStudy. */
    private Map<String, Set<String>> answer(Measured m, String query) throws Exception {
        Map<String, Set<String>> byUid = new TreeMap<>();
        for (Attributes r : qido(m, query).dicom()) {
            String[] values = r.getStrings(Tag.MODALITIES_IN_STUDY);
            byUid.put(r.getString(Tag.STUDY_INSTANCE_UID), new TreeSet<>(Arrays.asList(values)));
        }
        return byUid;
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String table(List<Row> rows) {
        StringBuilder t = new StringBuilder();
        t.append(String.format(
                Locale.ROOT,
                "Peers: %d studies on each (%d patients x 2 studies x 2 series). Simulated: PACS_A's share of a population"
                        + " of %d patients, %d ms per C-FIND. %d measured queries per row after %d.%n%n",
                STUDIES.studies().size(),
                PATIENTS,
                PATIENTS,
                SIMULATED_LATENCY_MS,
                QUERIES,
                WARMUP));
        t.append("| source | verification | query | studies found | C-FINDs per query | p50 ms | p95 ms |"
                + " worker task ms (mean) |\n");
        t.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            t.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %d | %.1f | %.1f | %.1f | %.1f |%n",
                    r.source(),
                    r.verification(),
                    r.query(),
                    r.studies(),
                    r.cfindsPerQuery(),
                    r.p50Millis(),
                    r.p95Millis(),
                    r.workerMillis()));
        }
        return t.toString();
    }
}
