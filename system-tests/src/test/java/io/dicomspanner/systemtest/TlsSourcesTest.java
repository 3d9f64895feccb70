package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.testing.TestPki;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A PACS over DICOM TLS in a fleet with plain ones: Orthanc with {@code DicomTlsEnabled} and a client certificate
 * required, its certificate from the CA the worker's {@code dicom-client} bundle trusts, beside the simulated PACS and
 * dcmqrscp over plain TCP (the union config). The spanning answer is the union of each PACS asked alone. A second Orthanc, its certificate from another
 * CA, fails with the handshake's reason in the query's status, the {@code Warning} header and its health.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsSourcesTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("tlssources");

    private static final String STUDY_DATES = "19000101-20991231";
    private static final String UNKNOWN_CA = "TLS handshake failed: unknown CA";

    /** The PACS as asked directly: the simulator over TCP, Orthanc over TLS. */
    private final List<DirectFind.Pacs> plain = new ArrayList<>();

    private final List<DirectFind.Pacs> overTls = new ArrayList<>();

    private DirectFind direct;
    private DirectFind directTls;
    private long tlsConfig;
    private long mixedConfig;
    private long untrustedSource;
    private Fleet.Service worker;

    @BeforeAll
    void startFleet() throws Exception {
        TestPki hospital = TestPki.create(FLEET.runDir().resolve("pki"), "hospital");
        TestPki vendor = TestPki.create(FLEET.runDir().resolve("pki"), "vendor");
        TestPki.Issued workerCertificate = hospital.client("spanner-worker");
        TestPki.Issued checker = hospital.client("e2e-check");
        TestPki.Issued trustedPacs = hospital.server("orthanc-tls");
        TestPki.Issued untrustedPacs = vendor.server("orthanc-vendor");

        SimulatorProcess simulator = FLEET.startSimulator(1, 4, List.of("--latency-ms", "5-20"));
        // dcmqrscp has no TLS at all (peer-quirks.md): a second plain PACS, strictly hierarchical
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(DcmqrscpPeer.builder()
                .aeTitle("DCMQRSCP")
                .studies(SyntheticStudies.generate(4141, 2, 2, 1, 1))
                .start());
        OrthancPeer orthanc = FLEET.closeAfterAll(OrthancPeer.builder()
                .aeTitle("ORTHANC_TLS")
                .dicomWeb(false)
                .dicomTls(trustedPacs.certificate(), trustedPacs.privateKey(), hospital.caCertificate())
                .start());
        orthanc.upload(SyntheticStudies.generate(4242, 3, 2, 1, 1));
        OrthancPeer vendorOrthanc = FLEET.closeAfterAll(OrthancPeer.builder()
                .aeTitle("ORTHANC_VENDOR")
                .dicomWeb(false)
                .dicomTls(untrustedPacs.certificate(), untrustedPacs.privateKey(), hospital.caCertificate())
                .start());
        vendorOrthanc.upload(SyntheticStudies.generate(4343, 1, 1, 1, 1));
        direct = FLEET.closeAfterAll(new DirectFind());
        directTls = FLEET.closeAfterAll(new DirectFind(TlsSettings.fromPem(checker.certificate(), checker.privateKey())
                .withTrustedCertificates(hospital.caCertificate())));

        SimulatorProcess.Pacs sim = simulator.pacs().get(0);
        long simulatorSource = FLEET.registerSource(sim.name(), sim.aeTitle(), sim.host(), sim.port(), Map.of());
        long dcmqrscpSource = FLEET.registerSource(
                "dcmqrscp",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                Map.of("relational_queries", false, "information_models", List.of("study_root")));
        Map<String, Object> overTlsFields = Map.of("tls", true, "information_models", List.of("study_root"));
        long orthancSource = FLEET.registerSource(
                "Orthanc TLS", orthanc.aeTitle(), orthanc.host(), orthanc.dicomPort(), overTlsFields);
        untrustedSource = FLEET.registerSource(
                "Orthanc vendor CA",
                vendorOrthanc.aeTitle(),
                vendorOrthanc.host(),
                vendorOrthanc.dicomPort(),
                overTlsFields);
        plain.add(new DirectFind.Pacs(sim.aeTitle(), sim.host(), sim.port()));
        plain.add(new DirectFind.Pacs(dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port()));
        overTls.add(new DirectFind.Pacs(orthanc.aeTitle(), orthanc.host(), orthanc.dicomPort()));

        tlsConfig = FLEET.createConfig("Over TLS", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(tlsConfig, List.of(simulatorSource, dcmqrscpSource, orthancSource));
        mixedConfig = FLEET.createConfig("With an untrusted PACS", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(mixedConfig, List.of(simulatorSource, dcmqrscpSource, orthancSource, untrustedSource));
        FLEET.startCoordinator("spanner-coordinator");
        String bundle = "spring.ssl.bundle.pem.dicom-client.";
        worker = FLEET.startWorker(
                "dimse-query-worker",
                List.of(simulatorSource, dcmqrscpSource, orthancSource, untrustedSource),
                Map.of(
                        bundle + "keystore.certificate",
                                workerCertificate.certificate().toString(),
                        bundle + "keystore.private-key",
                                workerCertificate.privateKey().toString(),
                        bundle + "truststore.certificate",
                                hospital.caCertificate().toString(),
                        bundle + "reload-on-update", "true"));
    }

    /** The StudyInstanceUIDs of every PACS asked alone, the TLS one over TLS with the same keys. */
    private Set<String> unionAskedAlone() throws Exception {
        Map<String, String> keys = DirectFind.keys("StudyDate", STUDY_DATES, "StudyInstanceUID", "");
        Set<String> uids = new TreeSet<>();
        for (DirectFind.Pacs pacs : plain) {
            direct.find(pacs, "STUDY", keys).forEach(a -> uids.add(a.getString(Tag.STUDY_INSTANCE_UID)));
        }
        for (DirectFind.Pacs pacs : overTls) {
            directTls.find(pacs, "STUDY", keys).forEach(a -> uids.add(a.getString(Tag.STUDY_INSTANCE_UID)));
        }
        return uids;
    }

    private static Set<String> uids(List<Attributes> results) {
        Set<String> uids = new TreeSet<>();
        results.forEach(a -> uids.add(a.getString(Tag.STUDY_INSTANCE_UID)));
        return uids;
    }

    private static HttpAnswer studies(long configId) throws Exception {
        return FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + STUDY_DATES + "&spanner_config_id=" + configId);
    }

    /** Each source's {@code state} and {@code error} in the query's status, by name. */
    private static Map<String, List<String>> sourceStates(HttpAnswer answer) throws Exception {
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        Map<String, List<String>> states = new LinkedHashMap<>();
        for (JsonNode source : status.json().get("sources")) {
            JsonNode error = source.get("error");
            states.put(
                    source.get("name").asString(),
                    List.of(source.get("state").asString(), error == null || error.isNull() ? "" : error.asString()));
        }
        return states;
    }

    @Test
    void theSpanningAnswerOverTlsAndPlainTcpIsTheUnionOfEachPacsAskedAlone() throws Exception {
        Set<String> expected = unionAskedAlone();
        Set<String> orthancAlone = uids(directTls.find(
                overTls.get(0), "STUDY", DirectFind.keys("StudyDate", STUDY_DATES, "StudyInstanceUID", "")));
        assertThat(orthancAlone).as("Orthanc holds 3 patients of 2 studies").hasSize(6);
        assertThat(expected).hasSizeGreaterThan(orthancAlone.size());

        HttpAnswer answer = studies(tlsConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as("Warning headers").isEmpty();
        assertThat(uids(answer.dicom())).isEqualTo(expected);
        assertThat(answer.dicom()).hasSize(expected.size());
        assertThat(sourceStates(answer))
                .isEqualTo(Map.of(
                        "PACS_A",
                        List.of("SUCCESS", ""),
                        "dcmqrscp",
                        List.of("SUCCESS", ""),
                        "Orthanc TLS",
                        List.of("SUCCESS", "")));
    }

    @Test
    void aPacsWhoseCertificateComesFromAnotherCaFailsAsAnUnknownCaInStatusWarningAndHealth() throws Exception {
        Set<String> expected = unionAskedAlone();

        HttpAnswer answer = studies(mixedConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(uids(answer.dicom())).isEqualTo(expected);
        assertThat(sourceStates(answer))
                .isEqualTo(Map.of(
                        "PACS_A", List.of("SUCCESS", ""),
                        "dcmqrscp", List.of("SUCCESS", ""),
                        "Orthanc TLS", List.of("SUCCESS", ""),
                        "Orthanc vendor CA", List.of("CONNECTION_FAILED", UNKNOWN_CA)));
        assertThat(answer.warnings())
                .containsExactly("299 " + warningAgent(answer)
                        + ": \"Source Orthanc vendor CA (AE ORTHANC_VENDOR) connection_failed: " + UNKNOWN_CA + "\"");

        Instant asked = Instant.now();
        FLEET.post("/api/v1/sources/" + untrustedSource + "/health/echo", Map.of(), 202);
        JsonNode health = FLEET.sourceHealthCheckedSince(untrustedSource, asked);
        assertThat(health.get("state").asString()).isEqualTo("down");
        assertThat(health.get("error").asString()).isEqualTo(UNKNOWN_CA);
        assertThat(health.get("dimse_status").isNull()).isTrue();
    }

    @Test
    void theExpiryOfTheWorkersClientCertificateIsExportedPerBundle() throws Exception {
        HttpAnswer scrape = FLEET.actuator(worker, "/actuator/prometheus");
        List<String> lines = scrape.text()
                .lines()
                .filter(l -> l.startsWith("ssl_chain_expiry_seconds{") && l.contains("bundle=\"dicom-client\""))
                .toList();

        // TestPki's certificates are valid for 2 days from their making
        assertThat(lines).as(scrape.text()).hasSize(1);
        double seconds = Double.parseDouble(lines.get(0).substring(lines.get(0).lastIndexOf(' ') + 1));
        assertThat(seconds).as(lines.get(0)).isGreaterThan(86_400).isLessThanOrEqualTo(2 * 86_400);
    }

    /** The agent of the answer's first Warning header ({@code 299 <agent>: "..."}). */
    private static String warningAgent(HttpAnswer answer) {
        String first = answer.warnings().get(0);
        return first.substring("299 ".length(), first.indexOf(": \""));
    }
}
