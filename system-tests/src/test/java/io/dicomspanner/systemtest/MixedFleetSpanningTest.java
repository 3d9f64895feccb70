package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticSeries;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.OrthancPeer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A spanning query over a mixed fleet of five PACS of three makes: three simulated PACS (PACS_C without relational
 * queries), dcmtk's dcmqrscp and Orthanc, with studies shared between dcmqrscp and Orthanc and replicated between the
 * simulated PACS. Every answer of the spanner is compared with the union of what each PACS answers when asked alone
 * (with our C-FIND SCU, past the spanner), de-duplicated by the level's UID: same set of UIDs, each once, and for every
 * record the values of the best-priority PACS holding it ({@code first_wins}) and a Retrieve AE Title naming exactly
 * the PACS that hold it.
 *
 * <p>The run's services reach RabbitMQ over {@code amqps} only (a node of the run's own with no plain listener) and
 * Redis over TLS only, each with credentials of the run: the whole query path as a site secures it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MixedFleetSpanningTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("mixed", Fleet.Broker.OWN_NODE_OVER_TLS);

    /** 6 patients with 2 studies of 2 series of 2 images: patients 0-3 on dcmqrscp, 2-5 on Orthanc (2, 3 on both). */
    private static final SyntheticStudies PEER_STUDIES = SyntheticStudies.generate(4711, 6, 2, 2, 2);

    private static final String ALL_DATES = "19000101-20991231";

    private final Map<String, DirectFind.Pacs> pacsByAe = new LinkedHashMap<>();
    /** AE titles in mapping priority order (1 first). */
    private final List<String> priority = new ArrayList<>();

    private DcmqrscpPeer dcmqrscp;
    private OrthancPeer orthanc;
    private DirectFind direct;
    private long configId;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(3, 40, List.of("--latency-ms", "5-20"));
        Path files = FLEET.runDir().resolve("peer-files");
        List<SyntheticPatient> patients = PEER_STUDIES.patients();
        dcmqrscp = DcmqrscpPeer.builder()
                .aeTitle("DCMQRSCP")
                .files(part10(patients.subList(0, 4), files.resolve("dcmqrscp")))
                .start();
        orthanc = OrthancPeer.builder().aeTitle("ORTHANC_E2E").dicomWeb(false).start();
        for (SyntheticPatient p : patients.subList(2, 6)) {
            for (SyntheticInstance i : instances(p)) {
                orthanc.upload(i.toPart10());
            }
        }
        direct = new DirectFind();

        List<Long> sources = new ArrayList<>();
        for (SimulatorProcess.Pacs p : simulator.pacs()) {
            // PACS_C refuses relational queries (docs/simulator.md); the others answer them.
            boolean relational = !p.name().equals("PACS_C");
            sources.add(register(p.name(), p.aeTitle(), p.host(), p.port(), Map.of("relational_queries", relational)));
        }
        // dcmqrscp is strictly hierarchical (peer-quirks.md): the worker must reach series and images through studies.
        sources.add(register(
                "dcmqrscp",
                dcmqrscp.aeTitle(),
                dcmqrscp.host(),
                dcmqrscp.port(),
                Map.of("relational_queries", false, "information_models", List.of("study_root"))));
        sources.add(register(
                "Orthanc",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                Map.of("relational_queries", true, "information_models", List.of("study_root"))));
        priority.addAll(pacsByAe.keySet());

        configId = FLEET.createConfig("Mixed Fleet", Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(configId, sources);
        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker("dimse-query-worker", sources, Map.of());
    }

    /** Registers a source with the spanner and keeps it to be asked directly; returns its id. */
    private long register(String name, String aeTitle, String host, int port, Map<String, Object> extra)
            throws Exception {
        long id = FLEET.registerSource(name, aeTitle, host, port, extra);
        pacsByAe.put(aeTitle, new DirectFind.Pacs(aeTitle, host, port));
        return id;
    }

    @AfterAll
    void stopPeers() throws Exception {
        try {
            if (direct != null) {
                direct.close();
            }
            if (orthanc != null) {
                orthanc.close();
            }
        } finally {
            if (dcmqrscp != null) {
                dcmqrscp.close();
            }
        }
    }

    private static List<SyntheticInstance> instances(SyntheticPatient patient) {
        List<SyntheticInstance> all = new ArrayList<>();
        for (SyntheticStudy st : patient.studies()) {
            for (SyntheticSeries se : st.series()) {
                all.addAll(se.instances());
            }
        }
        return all;
    }

    private static List<Path> part10(List<SyntheticPatient> patients, Path dir) throws Exception {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (SyntheticPatient p : patients) {
            for (SyntheticInstance i : instances(p)) {
                Path f = dir.resolve(i.sopInstanceUid() + ".dcm");
                Files.write(f, i.toPart10());
                files.add(f);
            }
        }
        return files;
    }

    /** What one PACS alone answered, and the union of all by UID in priority order. */
    private record Expected(
            Map<String, Integer> countsByAe, Map<String, List<String>> holders, Map<String, Attributes> firstCopy) {}

    private Expected askEachPacs(String level, int uidTag, Map<String, String> keys) throws Exception {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Map<String, List<String>> holders = new LinkedHashMap<>();
        Map<String, Attributes> first = new HashMap<>();
        for (String ae : priority) {
            List<Attributes> matches = direct.find(pacsByAe.get(ae), level, keys);
            counts.put(ae, matches.size());
            for (Attributes m : matches) {
                String uid = m.getString(uidTag);
                holders.computeIfAbsent(uid, u -> new ArrayList<>()).add(ae);
                first.putIfAbsent(uid, m);
            }
        }
        return new Expected(counts, holders, first);
    }

    /**
     * The spanner's answer has each UID of the union once, a Retrieve AE Title (VR AE) naming exactly the PACS that
     * hold it, and the best-priority holder's values of {@code compared}.
     */
    private void assertUnion(HttpAnswer answer, int uidTag, Expected expected, int... compared) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as("Warning headers").isEmpty();
        assertThat(answer.header("Content-Type")).startsWith("application/dicom+json");
        List<Attributes> results = answer.dicom();
        List<String> uids = results.stream().map(r -> r.getString(uidTag)).toList();
        assertThat(uids).as("UIDs, each once").doesNotHaveDuplicates();
        assertThat(new LinkedHashSet<>(uids))
                .as("UIDs")
                .isEqualTo(expected.holders().keySet());
        for (Attributes r : results) {
            String uid = r.getString(uidTag);
            assertThat(r.vrOf(Tag.RETRIEVE_AE_TITLE))
                    .as("VR of RetrieveAETitle")
                    .isEqualTo(VR.AE);
            assertThat(Set.copyOf(Arrays.asList(r.getStrings(Tag.RETRIEVE_AE_TITLE))))
                    .as("RetrieveAETitle of %s", uid)
                    .isEqualTo(Set.copyOf(expected.holders().get(uid)));
            Attributes first = expected.firstCopy().get(uid);
            for (int tag : compared) {
                // A required QIDO attribute the winning copy lacks (dcmqrscp omits keys it does not index) is
                // present and empty, with the dictionary's VR.
                VR vr = first.contains(tag)
                        ? first.vrOf(tag)
                        : ElementDictionary.standard().vrOf(tag);
                assertThat(r.vrOf(tag)).as("VR of %08X of %s", tag, uid).isEqualTo(vr);
                assertThat(r.getString(tag)).as("%08X of %s", tag, uid).isEqualTo(first.getString(tag));
            }
        }
    }

    /** The status of the answer's query: per-source match counts and the totals before and after de-duplication. */
    private void assertStatusCounts(HttpAnswer answer, Expected expected) throws Exception {
        String queryId = answer.header("X-Query-Id");
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + queryId + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        JsonNode s = status.json();
        assertThat(s.get("state").asString()).isEqualTo("COMPLETE");
        Map<String, Integer> matchesByAe = new LinkedHashMap<>();
        for (JsonNode source : s.get("sources")) {
            assertThat(source.get("state").asString()).as(source.toString()).isEqualTo("SUCCESS");
            matchesByAe.put(
                    source.get("ae_title").asString(), source.get("matches").asInt());
        }
        assertThat(matchesByAe).isEqualTo(expected.countsByAe());
        int total = expected.countsByAe().values().stream()
                .mapToInt(Integer::intValue)
                .sum();
        assertThat(s.get("matches_before_deduplication").asInt()).isEqualTo(total);
        assertThat(s.get("matches_after_deduplication").asInt())
                .isEqualTo(expected.holders().size());
    }

    @Test
    void studiesOfAllFivePacsAreTheirUnionByStudyInstanceUid() throws Exception {
        Expected expected = askEachPacs(
                "STUDY",
                Tag.STUDY_INSTANCE_UID,
                DirectFind.keys(
                        "StudyDate", ALL_DATES,
                        "StudyInstanceUID", "",
                        "PatientID", "",
                        "PatientName", "",
                        "AccessionNumber", ""));
        // The fleet must really overlap: studies on two or three PACS, from both kinds of replication.
        assertThat(expected.holders().values()).anyMatch(h -> h.containsAll(List.of("DCMQRSCP", "ORTHANC_E2E")));
        assertThat(expected.holders().values())
                .anyMatch(h -> h.size() >= 2 && h.get(0).startsWith("PACS"));

        HttpAnswer answer =
                FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + "&spanner_config_id=" + configId);

        assertUnion(
                answer,
                Tag.STUDY_INSTANCE_UID,
                expected,
                Tag.STUDY_DATE,
                Tag.PATIENT_ID,
                Tag.PATIENT_NAME,
                Tag.ACCESSION_NUMBER);
        assertStatusCounts(answer, expected);
    }

    @Test
    void everyServiceReachesTheBrokerOverTls13AsTheRunsOwnUser() throws Exception {
        // a query first, so the coordinator and the workers have used their connections
        FLEET.get("/api/v1/spanner/qido/studies?PatientID=NOBODY&spanner_config_id=" + configId);

        List<RabbitNode.Connection> connections = FLEET.rabbitNode().connections();

        // the gateway, the coordinator and the worker each hold one connection at least
        assertThat(connections).hasSizeGreaterThanOrEqualTo(3);
        assertThat(connections)
                .allSatisfy(
                        c -> assertThat(c).isEqualTo(new RabbitNode.Connection(FLEET.rabbitUser(), true, "tlsv1.3")));
    }

    /** A study on two simulated PACS or more, found by asking them alone. */
    private String replicatedSimulatedStudy() throws Exception {
        Expected studies = askEachPacs(
                "STUDY", Tag.STUDY_INSTANCE_UID, DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", ""));
        return studies.holders().entrySet().stream()
                .filter(e -> e.getValue().stream()
                                .filter(ae -> ae.startsWith("PACS"))
                                .count()
                        >= 2)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no replicated simulated study: " + studies.holders()));
    }

    /** A study of patient 2, loaded into both dcmqrscp and Orthanc. */
    private static SyntheticStudy sharedPeerStudy() {
        return PEER_STUDIES.patients().get(2).studies().get(0);
    }

    private Expected series(String studyUid) throws Exception {
        return askEachPacs(
                "SERIES",
                Tag.SERIES_INSTANCE_UID,
                DirectFind.keys(
                        "StudyInstanceUID", studyUid, "SeriesInstanceUID", "", "Modality", "", "SeriesNumber", ""));
    }

    private Expected instances(String studyUid, String seriesUid) throws Exception {
        return askEachPacs(
                "IMAGE",
                Tag.SOP_INSTANCE_UID,
                DirectFind.keys(
                        "StudyInstanceUID", studyUid,
                        "SeriesInstanceUID", seriesUid,
                        "SOPInstanceUID", "",
                        "SOPClassUID", "",
                        "InstanceNumber", ""));
    }

    @Test
    void seriesOfAStudyOnDcmqrscpAndOrthancAreTheirUnionBySeriesInstanceUid() throws Exception {
        String study = sharedPeerStudy().studyInstanceUid();
        Expected expected = series(study);
        assertThat(expected.holders().values()).allMatch(h -> h.equals(List.of("DCMQRSCP", "ORTHANC_E2E")));

        HttpAnswer answer =
                FLEET.get("/api/v1/spanner/qido/series?StudyInstanceUID=" + study + "&spanner_config_id=" + configId);

        assertUnion(answer, Tag.SERIES_INSTANCE_UID, expected, Tag.MODALITY, Tag.SERIES_NUMBER);
        assertStatusCounts(answer, expected);
    }

    @Test
    void seriesOfAReplicatedSimulatedStudyOnTheDicomwebPathAreTheirUnion() throws Exception {
        String study = replicatedSimulatedStudy();
        Expected expected = series(study);

        HttpAnswer answer = FLEET.get("/dicomweb/" + configId + "/studies/" + study + "/series");

        assertUnion(answer, Tag.SERIES_INSTANCE_UID, expected, Tag.MODALITY, Tag.SERIES_NUMBER);
        assertStatusCounts(answer, expected);
    }

    @Test
    void instancesOfASeriesByItsUidAloneAreTheUnionAlsoFromPacsWithoutRelationalQueries() throws Exception {
        SyntheticStudy study = sharedPeerStudy();
        String series = study.series().get(1).seriesInstanceUid();
        Expected expected = instances(study.studyInstanceUid(), series);
        assertThat(expected.holders()).hasSize(2);

        // Relational (no Study Instance UID): dcmqrscp and PACS_C are reached through a study-level query first.
        HttpAnswer answer = FLEET.get(
                "/api/v1/spanner/qido/instances?SeriesInstanceUID=" + series + "&spanner_config_id=" + configId);

        assertUnion(answer, Tag.SOP_INSTANCE_UID, expected, Tag.SOP_CLASS_UID, Tag.INSTANCE_NUMBER);
        assertStatusCounts(answer, expected);
    }

    @Test
    void instancesOfAReplicatedSimulatedSeriesOnTheDicomwebPathAreTheirUnion() throws Exception {
        String study = replicatedSimulatedStudy();
        Expected series = series(study);
        String seriesUid = series.holders().entrySet().stream()
                .filter(e -> e.getValue().size() >= 2)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow();
        Expected expected = instances(study, seriesUid);

        HttpAnswer answer =
                FLEET.get("/dicomweb/" + configId + "/studies/" + study + "/series/" + seriesUid + "/instances");

        assertUnion(answer, Tag.SOP_INSTANCE_UID, expected, Tag.SOP_CLASS_UID, Tag.INSTANCE_NUMBER);
        assertStatusCounts(answer, expected);
    }
}
