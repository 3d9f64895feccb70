package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticSeries;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * One fleet of every kind of source the spanner asks: two simulated PACS (with the simulator's own replicas), dcmtk's
 * dcmqrscp and an Orthanc asked with C-FIND, and another Orthanc asked over QIDO-RS on its DICOMweb plugin, behind
 * HTTPS (Orthanc's own {@code SslEnabled}, a certificate of the run's test CA, which the worker's {@code dicom-client}
 * bundle trusts) and HTTP basic authentication. Studies are replicated across both kinds under the same UIDs: some
 * generated studies are on dcmqrscp, the DIMSE Orthanc and the DICOMweb Orthanc, others on two of them, and two
 * studies of a simulated PACS are copied into the DICOMweb Orthanc.
 *
 * <p>Every answer, at study, series and instance level, over QIDO-RS and through the DIMSE listener with dcmtk's
 * {@code findscu}, is compared with the union of each source asked alone (the DIMSE ones with our C-FIND SCU, the
 * DICOMweb one with our own QIDO-RS request over HTTPS), de-duplicated by the level's UID. The same DICOMweb Orthanc
 * registered with a wrong password, and an Orthanc whose certificate comes from a CA the worker does not trust, fail
 * that source alone, clearly, in the query's status, its {@code Warning} and the source's health.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixedProtocolFleetTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("mixedweb");

    private static final String ALL_DATES = "19000101-20991231";
    private static final String USER = "spanner";
    private static final String PASSWORD = "orthanc-Web-pw";
    private static final String DCMQRSCP_AE = "DCMQRSCP";
    private static final String DIMSE_ORTHANC_AE = "ORTHANC_DIMSE";
    private static final String WEB_AE = "ORTHANC_WEB";
    private static final String BAD_PASSWORD_AE = "ORTHANC_BADPW";
    private static final String OTHER_CA_AE = "ORTHANC_OTHERCA";
    /** How the worker reports an HTTPS archive whose certificate no CA of its trust bundle issued. */
    private static final String UNTRUSTED = "TLS handshake failed: unknown CA";
    /** The called AE title of the mixed config at the listener. */
    private static final String SCP_AE = "SPANNER_MIXED";

    /**
     * 7 patients of 2 studies of 2 series of 2 images: 0-3 on dcmqrscp, 2-5 on the DIMSE Orthanc, 3-6 on the DICOMweb
     * Orthanc (patient 3 on all three).
     */
    private static final SyntheticStudies PEER_STUDIES = SyntheticStudies.generate(5813, 7, 2, 2, 2);

    /** The DIMSE sources in mapping priority order, by AE title. */
    private final Map<String, DirectFind.Pacs> dimse = new LinkedHashMap<>();

    private OrthancPeer web;
    private DirectFind direct;
    private final List<String> copiedStudies = new ArrayList<>();
    private long mixedConfig;
    private long failingConfig;
    private long webSource;
    private long badPasswordSource;
    private long otherCaSource;
    private Fleet.Listener listener;

    @BeforeAll
    void startFleet() throws Exception {
        TestPki hospital = TestPki.create(FLEET.runDir().resolve("pki"), "hospital");
        TestPki vendor = TestPki.create(FLEET.runDir().resolve("pki"), "vendor");
        TestPki.Issued webCertificate = hospital.server("orthanc-web");
        TestPki.Issued otherCertificate = vendor.server("orthanc-other-ca");

        SimulatorProcess simulator = FLEET.startSimulator(2, 12, List.of("--latency-ms", "5-20"));
        List<SyntheticPatient> patients = PEER_STUDIES.patients();
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(DcmqrscpPeer.builder()
                .aeTitle(DCMQRSCP_AE)
                .files(part10(patients.subList(0, 4), FLEET.runDir().resolve("peer-files")))
                .start());
        OrthancPeer dimseOrthanc = FLEET.closeAfterAll(
                OrthancPeer.builder().aeTitle(DIMSE_ORTHANC_AE).dicomWeb(false).start());
        web = FLEET.closeAfterAll(OrthancPeer.builder()
                .aeTitle(WEB_AE)
                .https(webCertificate.certificate(), webCertificate.privateKey(), hospital.caCertificate())
                .basicAuth(USER, PASSWORD)
                .start());
        OrthancPeer otherCa = FLEET.closeAfterAll(OrthancPeer.builder()
                .aeTitle(OTHER_CA_AE)
                .https(otherCertificate.certificate(), otherCertificate.privateKey(), vendor.caCertificate())
                .start());
        for (SyntheticPatient p : patients.subList(2, 6)) {
            instancesOf(p).forEach(i -> upload(dimseOrthanc, i.toPart10()));
        }
        for (SyntheticPatient p : patients.subList(3, 7)) {
            instancesOf(p).forEach(i -> upload(web, i.toPart10()));
        }
        instancesOf(patients.get(0)).forEach(i -> upload(otherCa, i.toPart10()));
        direct = FLEET.closeAfterAll(new DirectFind());

        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            sources.add(FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of()));
            dimse.put(p.aeTitle(), new DirectFind.Pacs(p.aeTitle(), p.host(), p.port()));
        }
        // two studies of the first simulated PACS, copied into the DICOMweb Orthanc under the same UIDs
        DirectFind.Pacs first = dimse.values().iterator().next();
        for (Attributes study : direct.find(
                        first, "STUDY", DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", ""))
                .subList(0, 2)) {
            String uid = study.getString(Tag.STUDY_INSTANCE_UID);
            for (byte[] file : direct.studyAsPart10(first, uid)) {
                web.upload(file);
            }
            copiedStudies.add(uid);
        }
        sources.add(FLEET.registerSource(
                "dcmqrscp",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                Map.of("relational_queries", false, "information_models", List.of("study_root"))));
        dimse.put(DCMQRSCP_AE, new DirectFind.Pacs(DCMQRSCP_AE, dcmqrscp.host(), dcmqrscp.port()));
        sources.add(FLEET.registerSource(
                "Orthanc DIMSE",
                dimseOrthanc.aeTitle(),
                dimseOrthanc.host(),
                dimseOrthanc.dicomPort(),
                Map.of("information_models", List.of("study_root"))));
        dimse.put(
                DIMSE_ORTHANC_AE, new DirectFind.Pacs(DIMSE_ORTHANC_AE, dimseOrthanc.host(), dimseOrthanc.dicomPort()));
        webSource = registerDicomWeb("Orthanc web", WEB_AE, web, basicAuth(PASSWORD));
        badPasswordSource =
                registerDicomWeb("Orthanc wrong password", BAD_PASSWORD_AE, web, basicAuth("not-" + PASSWORD));
        otherCaSource = registerDicomWeb("Orthanc other CA", OTHER_CA_AE, otherCa, Map.of());

        mixedConfig = FLEET.createConfig("DIMSE and DICOMweb", Fleet.comparedConfig(Map.of("scp_ae_title", SCP_AE)));
        FLEET.mapSources(mixedConfig, sources);
        FLEET.mapSource(mixedConfig, webSource, sources.size() + 1, Map.of("source_type", "dicomweb"));
        failingConfig = FLEET.createConfig("Failing DICOMweb", Fleet.comparedConfig(Map.of()));
        FLEET.mapSource(failingConfig, sources.get(0), 1, Map.of());
        FLEET.mapSource(failingConfig, badPasswordSource, 2, Map.of("source_type", "dicomweb"));
        FLEET.mapSource(failingConfig, otherCaSource, 3, Map.of("source_type", "dicomweb"));

        FLEET.startCoordinator("spanner-coordinator");
        List<Long> served = new ArrayList<>(sources);
        served.addAll(List.of(webSource, badPasswordSource, otherCaSource));
        // the worker's TLS bundle trusts the hospital CA alone: the other CA's Orthanc is not trusted
        FLEET.startWorker(
                "dimse-query-worker",
                served,
                Map.of(
                        "spring.ssl.bundle.pem.dicom-client.truststore.certificate",
                        hospital.caCertificate().toString()));
        listener = FLEET.startListener("dimse-scp-listener");
    }

    private static List<SyntheticInstance> instancesOf(SyntheticPatient patient) {
        List<SyntheticInstance> all = new ArrayList<>();
        for (SyntheticStudy study : patient.studies()) {
            for (SyntheticSeries series : study.series()) {
                all.addAll(series.instances());
            }
        }
        return all;
    }

    private static List<Path> part10(List<SyntheticPatient> patients, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (SyntheticPatient p : patients) {
            for (SyntheticInstance i : instancesOf(p)) {
                Path f = dir.resolve(i.sopInstanceUid() + ".dcm");
                Files.write(f, i.toPart10());
                files.add(f);
            }
        }
        return files;
    }

    private static void upload(OrthancPeer peer, byte[] part10) {
        try {
            peer.upload(part10);
        } catch (Exception e) {
            throw new IllegalStateException("upload into " + peer + " failed", e);
        }
    }

    private static Map<String, Object> basicAuth(String password) {
        return Map.of("auth", Map.of("type", "basic", "username", USER, "password", password), "page_size", 5);
    }

    private long registerDicomWeb(String name, String aeTitle, OrthancPeer peer, Map<String, Object> extra)
            throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("protocol", "dicomweb");
        body.put("ae_title", aeTitle);
        body.put("base_url", peer.dicomWebRoot().toString());
        body.put("max_associations", 2);
        body.put("query_timeout_seconds", 20);
        body.putAll(extra);
        return FLEET.post("/api/v1/sources/", body).get("id").asLong();
    }

    /** One level's question, as each kind of source is asked it alone and as the spanner is asked it. */
    private record Question(
            String level, int uidTag, Map<String, String> dimseKeys, String qidoPath, String spannerPath) {}

    private Question studies() {
        return new Question(
                "STUDY",
                Tag.STUDY_INSTANCE_UID,
                DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", ""),
                "studies?StudyDate=" + ALL_DATES,
                "/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + "&spanner_config_id=" + mixedConfig);
    }

    private Question series(String study) {
        return new Question(
                "SERIES",
                Tag.SERIES_INSTANCE_UID,
                DirectFind.keys("StudyInstanceUID", study, "SeriesInstanceUID", ""),
                "studies/" + study + "/series",
                "/dicomweb/" + mixedConfig + "/studies/" + study + "/series");
    }

    private Question instances(String study, String series) {
        return new Question(
                "IMAGE",
                Tag.SOP_INSTANCE_UID,
                DirectFind.keys("StudyInstanceUID", study, "SeriesInstanceUID", series, "SOPInstanceUID", ""),
                "studies/" + study + "/series/" + series + "/instances",
                "/dicomweb/" + mixedConfig + "/studies/" + study + "/series/" + series + "/instances");
    }

    /** What each source answers alone, by AE title in priority order: the DIMSE ones, then the DICOMweb Orthanc. */
    private Map<String, List<String>> askEachAlone(Question q) throws Exception {
        Map<String, List<String>> alone = new LinkedHashMap<>();
        for (Map.Entry<String, DirectFind.Pacs> e : dimse.entrySet()) {
            alone.put(e.getKey(), uids(direct.find(e.getValue(), q.level(), q.dimseKeys()), q.uidTag()));
        }
        alone.put(WEB_AE, uids(web.qido(q.qidoPath()), q.uidTag()));
        return alone;
    }

    private static List<String> uids(List<Attributes> records, int uidTag) {
        return records.stream().map(r -> r.getString(uidTag)).toList();
    }

    /** The union of the sources asked alone: each UID once, with the AE titles of the sources holding it. */
    private static Map<String, Set<String>> union(Map<String, List<String>> alone) {
        Map<String, Set<String>> holders = new LinkedHashMap<>();
        alone.forEach((ae, uids) -> uids.forEach(
                uid -> holders.computeIfAbsent(uid, u -> new LinkedHashSet<>()).add(ae)));
        return holders;
    }

    /**
     * The question over QIDO-RS and through the listener with findscu: both give each UID of the union once; the
     * QIDO-RS records' Retrieve AE Title (VR AE) names exactly the sources holding each; every source SUCCESS with its
     * own match count; no Warning; the findscu responses all Pending FF00 and a final Success.
     */
    private Map<String, Set<String>> assertBothDoorsGiveTheUnion(Question q) throws Exception {
        Map<String, List<String>> alone = askEachAlone(q);
        Map<String, Set<String>> expected = union(alone);
        assertThat(expected).as("the union of %s", q.level()).isNotEmpty();

        HttpAnswer answer = FLEET.get(q.spannerPath());
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as("Warning headers").isEmpty();
        List<Attributes> records = answer.dicom();
        List<String> uids = uids(records, q.uidTag());
        assertThat(uids).as("QIDO-RS %s UIDs, each once", q.level()).doesNotHaveDuplicates();
        assertThat(new LinkedHashSet<>(uids)).as("QIDO-RS %s UIDs", q.level()).isEqualTo(expected.keySet());
        for (Attributes r : records) {
            String uid = r.getString(q.uidTag());
            assertThat(r.vrOf(Tag.RETRIEVE_AE_TITLE)).isEqualTo(VR.AE);
            assertThat(Set.copyOf(Arrays.asList(r.getStrings(Tag.RETRIEVE_AE_TITLE))))
                    .as("RetrieveAETitle of %s", uid)
                    .isEqualTo(expected.get(uid));
        }
        JsonNode status = status(answer);
        assertThat(status.get("state").asString()).isEqualTo("COMPLETE");
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (JsonNode source : status.get("sources")) {
            bySource.put(
                    source.get("ae_title").asString(),
                    List.of(
                            source.get("state").asString(),
                            source.get("matches").asString()));
        }
        Map<String, List<String>> expectedBySource = new LinkedHashMap<>();
        alone.forEach((ae, found) -> expectedBySource.put(ae, List.of("SUCCESS", Integer.toString(found.size()))));
        assertThat(bySource).isEqualTo(expectedBySource);
        assertThat(status.get("matches_after_deduplication").asInt()).isEqualTo(expected.size());

        Findscu findscu = Findscu.to("127.0.0.1", listener.dicomPort(), SCP_AE).level(q.level());
        q.dimseKeys().forEach((keyword, value) -> {
            if (value.isEmpty()) {
                findscu.key(keyword);
            } else {
                findscu.key(keyword, value);
            }
        });
        Findscu.Result viaListener = findscu.run();
        assertThat(viaListener.finalStatus()).as(viaListener.log()).isEqualTo(Status.SUCCESS);
        List<String> listenerUids = uids(viaListener.responses(), q.uidTag());
        assertThat(listenerUids).as("findscu %s UIDs, each once", q.level()).doesNotHaveDuplicates();
        assertThat(new LinkedHashSet<>(listenerUids))
                .as("findscu %s UIDs", q.level())
                .isEqualTo(expected.keySet());
        assertThat(viaListener.pendingStatuses()).hasSize(expected.size()).containsOnly(Status.PENDING);
        return expected;
    }

    private static JsonNode status(HttpAnswer answer) throws Exception {
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        return status.json();
    }

    /** A study of patient 3: on dcmqrscp, the DIMSE Orthanc and the DICOMweb Orthanc. */
    private static SyntheticStudy studyOnEveryPeer() {
        return PEER_STUDIES.patients().get(3).studies().get(0);
    }

    @Test
    void studiesAreTheUnionOfEverySourceAskedAloneOverQidoRsAndThroughTheListener() throws Exception {
        Map<String, Set<String>> expected = assertBothDoorsGiveTheUnion(studies());

        // the fleet really overlaps across both kinds of source, and each source holds studies of its own
        assertThat(expected.get(studyOnEveryPeer().studyInstanceUid()))
                .containsExactly(DCMQRSCP_AE, DIMSE_ORTHANC_AE, WEB_AE);
        for (String copied : copiedStudies) {
            assertThat(expected.get(copied)).contains(dimse.keySet().iterator().next(), WEB_AE);
        }
        assertThat(expected.get(PEER_STUDIES.patients().get(6).studies().get(0).studyInstanceUid()))
                .containsExactly(WEB_AE);
        assertThat(expected.values()).anyMatch(h -> h.size() >= 2 && h.stream().allMatch(ae -> ae.startsWith("PACS")));
    }

    @Test
    void seriesOfStudiesOnBothKindsOfSourceAreTheirUnionOverQidoRsAndThroughTheListener() throws Exception {
        Map<String, Set<String>> onEveryPeer =
                assertBothDoorsGiveTheUnion(series(studyOnEveryPeer().studyInstanceUid()));
        assertThat(onEveryPeer).hasSize(2);
        assertThat(onEveryPeer.values()).allMatch(h -> h.equals(Set.of(DCMQRSCP_AE, DIMSE_ORTHANC_AE, WEB_AE)));

        Map<String, Set<String>> copied = assertBothDoorsGiveTheUnion(series(copiedStudies.get(0)));
        assertThat(copied.values()).allMatch(h -> h.contains(WEB_AE) && h.size() >= 2);
    }

    @Test
    void instancesOfSeriesOnBothKindsOfSourceAreTheirUnionOverQidoRsAndThroughTheListener() throws Exception {
        SyntheticStudy study = studyOnEveryPeer();
        SyntheticSeries series = study.series().get(1);
        Map<String, Set<String>> onEveryPeer =
                assertBothDoorsGiveTheUnion(instances(study.studyInstanceUid(), series.seriesInstanceUid()));
        assertThat(onEveryPeer).hasSize(2);
        assertThat(onEveryPeer.values()).allMatch(h -> h.equals(Set.of(DCMQRSCP_AE, DIMSE_ORTHANC_AE, WEB_AE)));

        String copiedStudy = copiedStudies.get(0);
        String copiedSeries = askEachAlone(series(copiedStudy)).get(WEB_AE).get(0);
        Map<String, Set<String>> copied = assertBothDoorsGiveTheUnion(instances(copiedStudy, copiedSeries));
        assertThat(copied.values()).allMatch(h -> h.contains(WEB_AE) && h.size() >= 2);
    }

    @Test
    void aWrongPasswordAndAnUntrustedCertificateFailThatSourceAloneNamingTheCause() throws Exception {
        DirectFind.Pacs first = dimse.values().iterator().next();
        List<String> firstAlone = uids(
                direct.find(first, "STUDY", DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", "")),
                Tag.STUDY_INSTANCE_UID);

        HttpAnswer answer = FLEET.get(
                "/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + "&spanner_config_id=" + failingConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(uids(answer.dicom(), Tag.STUDY_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(firstAlone);
        Map<String, List<String>> states = new LinkedHashMap<>();
        for (JsonNode source : status(answer).get("sources")) {
            JsonNode error = source.get("error");
            states.put(
                    source.get("name").asString(),
                    List.of(source.get("state").asString(), error == null || error.isNull() ? "" : error.asString()));
        }
        assertThat(states.get("Orthanc wrong password")).containsExactly("REFUSED", "HTTP 401 Unauthorized");
        assertThat(states.get("Orthanc other CA")).containsExactly("CONNECTION_FAILED", UNTRUSTED);
        assertThat(answer.warnings())
                .containsExactlyInAnyOrder(
                        "299 " + warningAgent(answer) + ": \"Source Orthanc wrong password (AE " + BAD_PASSWORD_AE
                                + ") refused: HTTP 401 Unauthorized\"",
                        "299 " + warningAgent(answer) + ": \"Source Orthanc other CA (AE " + OTHER_CA_AE
                                + ") connection_failed: " + UNTRUSTED + "\"");

        Instant asked = Instant.now();
        for (long source : List.of(webSource, badPasswordSource, otherCaSource)) {
            FLEET.post("/api/v1/sources/" + source + "/health/echo", Map.of(), 202);
        }
        JsonNode good = FLEET.sourceHealthCheckedSince(webSource, asked);
        JsonNode badPassword = FLEET.sourceHealthCheckedSince(badPasswordSource, asked);
        JsonNode untrusted = FLEET.sourceHealthCheckedSince(otherCaSource, asked);
        assertThat(good.get("state").asString()).as(good.toString()).isEqualTo("up");
        assertThat(badPassword.get("state").asString()).isEqualTo("down");
        assertThat(badPassword.get("error").asString()).isEqualTo("HTTP 401 Unauthorized");
        assertThat(untrusted.get("state").asString()).isEqualTo("down");
        assertThat(untrusted.get("error").asString()).isEqualTo(UNTRUSTED);
    }

    /** The warn-agent of the answer's Warning headers (the gateway's host and port, as it names itself). */
    private static String warningAgent(HttpAnswer answer) {
        String first = answer.warnings().get(0);
        return first.substring("299 ".length(), first.indexOf(": \""));
    }
}
