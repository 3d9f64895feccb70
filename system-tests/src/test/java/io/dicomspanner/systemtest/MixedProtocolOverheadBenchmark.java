package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What asking one source over DICOMweb instead of DIMSE costs the spanner, beyond the time that source takes: the
 * spanning overhead over the slowest source of the same query (client latency minus the largest {@code latency_millis}
 * of the query's status, which the worker measures from taking the task to publishing its last batch) for two configs
 * of three sources that differ in one only. Both hold a simulated PACS and dcmqrscp asked with C-FIND; the third is
 * the same Orthanc, asked with C-FIND on its DICOM port in the all-DIMSE config and with QIDO-RS on its DICOMweb plugin
 * (HTTPS with a certificate of the run's test CA, HTTP basic authentication, {@code page_size} 100) in the mixed one.
 * Orthanc and dcmqrscp hold the same generated studies. The two configs are asked in turn, query by query, so that
 * whatever else runs on the machine falls on both alike; their answers must have the same Study Instance UIDs, or the
 * run fails.
 *
 * <p>A benchmark, not a test: run on demand with {@code ./mvnw -B -o -pl system-tests -am verify
 * -Dtest=MixedProtocolOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dspanner.benchmark=true} (settings
 * {@code spanner.benchmark.patients}, default 30 patients of 2 studies of 2 series of 2 images on the peers and 30 in
 * the simulated population, and {@code spanner.benchmark.queries}, default 40 measured queries per config and query
 * shape, after 5 of each not counted). It prints a Markdown table and the machine's load average before and after
 * (also written to {@code
 * target/system-tests/<run>/mixed-protocol-overhead.md}); docs/benchmarks.md quotes it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@EnabledIfSystemProperty(named = "spanner.benchmark", matches = "true")
class MixedProtocolOverheadBenchmark {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("protocolcost");

    private static final int PATIENTS = Integer.getInteger("spanner.benchmark.patients", 30);
    private static final int QUERIES = Integer.getInteger("spanner.benchmark.queries", 40);
    private static final int WARMUP = 5;
    private static final String ALL_DATES = "19000101-20991231";
    private static final String USER = "spanner";
    private static final String PASSWORD = "bench-Web-pw";

    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(2718, PATIENTS, 2, 2, 2);

    private long allDimseConfig;
    private long mixedConfig;

    @BeforeAll
    void startFleet() throws Exception {
        TestPki pki = TestPki.create(FLEET.runDir().resolve("pki"), "hospital");
        TestPki.Issued certificate = pki.server("orthanc-web");
        List<Path> files =
                PeerFiles.part10(STUDIES.studies(), FLEET.runDir().resolve("peer-files"), study -> List.of("CT", "MR"));
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(
                DcmqrscpPeer.builder().aeTitle("DCMQRSCP").files(files).start());
        OrthancPeer orthanc = FLEET.closeAfterAll(OrthancPeer.builder()
                .aeTitle("ORTHANC_BOTH")
                .https(certificate.certificate(), certificate.privateKey(), pki.caCertificate())
                .basicAuth(USER, PASSWORD)
                .start());
        orthanc.upload(files);
        SimulatorProcess.Pacs sim = FLEET.startSimulator(1, PATIENTS, List.of("--latency-ms", "5-20"))
                .pacs()
                .get(0);

        long simSource = FLEET.registerSource(sim.name(), sim.aeTitle(), sim.host(), sim.port(), Map.of());
        long dcmqrscpSource = FLEET.registerSource(
                "dcmqrscp",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                Map.of("relational_queries", false, "information_models", List.of("study_root")));
        long orthancDimse = FLEET.registerSource(
                "Orthanc DIMSE",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                Map.of("information_models", List.of("study_root")));
        Map<String, Object> web = new LinkedHashMap<>();
        web.put("name", "Orthanc DICOMweb");
        web.put("protocol", "dicomweb");
        web.put("ae_title", orthanc.aeTitle());
        web.put("base_url", orthanc.dicomWebRoot().toString());
        web.put("auth", Map.of("type", "basic", "username", USER, "password", PASSWORD));
        web.put("page_size", 100);
        web.put("max_associations", 4);
        web.put("query_timeout_seconds", 20);
        long orthancWeb = FLEET.post("/api/v1/sources/", web).get("id").asLong();

        allDimseConfig = FLEET.createConfig("All DIMSE", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(allDimseConfig, List.of(simSource, dcmqrscpSource, orthancDimse));
        mixedConfig = FLEET.createConfig("DIMSE and DICOMweb", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(mixedConfig, List.of(simSource, dcmqrscpSource));
        FLEET.mapSource(mixedConfig, orthancWeb, 3, Map.of("source_type", "dicomweb"));

        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker(
                "dimse-query-worker",
                List.of(simSource, dcmqrscpSource, orthancDimse, orthancWeb),
                Map.of(
                        "spring.ssl.bundle.pem.dicom-client.truststore.certificate",
                        pki.caCertificate().toString()));
    }

    /** One measured query: client latency, the slowest source's and the varying (Orthanc) source's, in ms. */
    private record Sample(double clientMillis, long slowestMillis, long orthancMillis, Set<String> studies) {
        double overheadMillis() {
            return clientMillis - slowestMillis;
        }
    }

    private Sample ask(long config, String query) throws Exception {
        long start = System.nanoTime();
        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/studies?" + query + "&spanner_config_id=" + config);
        double client = (System.nanoTime() - start) / 1e6;
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as("Warning headers").isEmpty();
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status");
        JsonNode s = status.json();
        assertThat(s.get("state").asString()).as(s.toString()).isEqualTo("COMPLETE");
        long slowest = 0;
        long orthanc = 0;
        for (JsonNode source : s.get("sources")) {
            long latency = source.get("latency_millis").asLong();
            slowest = Math.max(slowest, latency);
            if (source.get("name").asString().startsWith("Orthanc")) {
                orthanc = latency;
            }
        }
        Set<String> studies = new TreeSet<>();
        for (Attributes r : answer.dicom()) {
            studies.add(r.getString(Tag.STUDY_INSTANCE_UID));
        }
        return new Sample(client, slowest, orthanc, studies);
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    @Test
    void overheadOverTheSlowestSourceWithOneSourceOverDicomwebBesideAllDimse() throws Exception {
        List<SyntheticPatient> patients = STUDIES.patients();
        Map<String, List<String>> shapes = new LinkedHashMap<>();
        List<String> byPatient = new ArrayList<>();
        for (int i = 0; i < WARMUP + QUERIES; i++) {
            byPatient.add("PatientID=" + patients.get(i % patients.size()).patientId());
        }
        shapes.put("studies of one patient (`PatientID=…`)", byPatient);
        shapes.put(
                "every study (`StudyDate=19000101-20991231`)",
                Collections.nCopies(WARMUP + QUERIES, "StudyDate=" + ALL_DATES));

        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        StringBuilder table = new StringBuilder();
        table.append(String.format(
                Locale.ROOT,
                "%d patients × 2 studies on dcmqrscp and Orthanc, %d patients simulated; %d measured queries per row"
                        + " after %d%n%n",
                PATIENTS,
                PATIENTS,
                QUERIES,
                WARMUP));
        table.append("| query | config | studies found | client p50 ms | slowest source p50 ms | Orthanc's own p50 ms"
                + " | overhead p50 ms | overhead p95 ms |\n");
        table.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, List<String>> shape : shapes.entrySet()) {
            Map<Long, List<Sample>> samples = new LinkedHashMap<>();
            samples.put(allDimseConfig, new ArrayList<>());
            samples.put(mixedConfig, new ArrayList<>());
            List<String> queries = shape.getValue();
            for (int i = 0; i < queries.size(); i++) {
                Sample dimse = ask(allDimseConfig, queries.get(i));
                Sample mixed = ask(mixedConfig, queries.get(i));
                assertThat(mixed.studies()).as(queries.get(i)).isEqualTo(dimse.studies());
                assertThat(dimse.studies()).as(queries.get(i)).isNotEmpty();
                if (i >= WARMUP) {
                    samples.get(allDimseConfig).add(dimse);
                    samples.get(mixedConfig).add(mixed);
                }
            }
            for (Map.Entry<Long, List<Sample>> config : samples.entrySet()) {
                List<Sample> s = config.getValue();
                table.append(String.format(
                        Locale.ROOT,
                        "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                        shape.getKey(),
                        config.getKey() == allDimseConfig
                                ? "all DIMSE (Orthanc by C-FIND)"
                                : "DIMSE + DICOMweb (Orthanc by QIDO-RS over HTTPS)",
                        s.stream().mapToInt(x -> x.studies().size()).average().orElse(0),
                        percentile(s.stream().map(Sample::clientMillis).toList(), 50),
                        percentile(
                                s.stream().map(x -> (double) x.slowestMillis()).toList(), 50),
                        percentile(
                                s.stream().map(x -> (double) x.orthancMillis()).toList(), 50),
                        percentile(s.stream().map(Sample::overheadMillis).toList(), 50),
                        percentile(s.stream().map(Sample::overheadMillis).toList(), 95)));
            }
        }
        table.append(String.format(
                Locale.ROOT,
                "%n/proc/loadavg before: %s; after: %s%n",
                loadBefore,
                Files.readString(Path.of("/proc/loadavg")).strip()));
        System.out.println(table);
        Files.writeString(
                FLEET.runDir().resolve("mixed-protocol-overhead.md"), table.toString(), StandardCharsets.UTF_8);
    }
}
