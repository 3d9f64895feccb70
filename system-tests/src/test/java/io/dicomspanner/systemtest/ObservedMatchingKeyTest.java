package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.OrthancPeer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * What a source matches on, found out rather than declared: by the capability probe the admin API starts, and from the
 * source's own answers. Nothing is declared here ({@code unmatched_keys} is empty everywhere); each test has sources
 * of its own, so what one test teaches the spanner does not change another's.
 *
 * <ul>
 *   <li>The probe, run against dcmqrscp and Orthanc, records what peer-quirks.md says of them, and from then on
 *       dcmqrscp's studies are verified: a ModalitiesInStudy query gives exactly the oracle's studies.
 *   <li>dcmqrscp never returns ModalitiesInStudy: after a few answers the key is learned as not returned, and the next
 *       answer is verified.
 *   <li>A simulated PACS that lies about PatientSex (it returns its records whatever the key asks, with their true
 *       values) is caught by its first answer: the key is learned as not matched and the worker drops what does not
 *       match from then on.
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservedMatchingKeyTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("observedkey");

    /** 4 patients with 2 studies of 2 series of 1 image, on dcmqrscp and on Orthanc. */
    private static final SyntheticStudies PEER_STUDIES = SyntheticStudies.generate(9001, 4, 2, 2, 1);

    private static final List<List<String>> SERIES_MODALITIES =
            List.of(List.of("CT", "CT"), List.of("MR", "MR"), List.of("CT", "MR"), List.of("CR", "CR"));

    /** Records without a value after which a key is learned as not returned (the default is higher). */
    private static final int LEARN_AFTER = 5;

    private static final Duration OBSERVATION_WAIT = Duration.ofSeconds(60);

    private final DirectFind.Pacs[] peers = new DirectFind.Pacs[3];
    private DirectFind direct;
    private long probedDcmqrscp;
    private long probedOrthanc;
    private long learningDcmqrscp;
    private long lyingPacs;
    private long probedConfig;
    private long learningConfig;
    private long lyingConfig;
    private Fleet.Service worker;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator =
                FLEET.startSimulator(1, 6, List.of("--latency-ms", "5-20", "--unmatched", "PACS_A=PatientSex"));
        List<Path> files = PeerFiles.part10(
                PEER_STUDIES.studies(),
                FLEET.runDir().resolve("peer-files"),
                PeerFiles.cycled(PEER_STUDIES.studies(), SERIES_MODALITIES));
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(
                DcmqrscpPeer.builder().aeTitle("DCMQRSCP").files(files).start());
        OrthancPeer orthanc = FLEET.closeAfterAll(
                OrthancPeer.builder().aeTitle("ORTHANC_OBS").dicomWeb(false).start());
        orthanc.upload(files);
        direct = FLEET.closeAfterAll(new DirectFind());
        SimulatorProcess.Pacs sim = simulator.pacs().get(0);
        peers[0] = new DirectFind.Pacs(dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port());
        peers[1] = new DirectFind.Pacs(orthanc.aeTitle(), orthanc.host(), orthanc.dicomPort());
        peers[2] = new DirectFind.Pacs(sim.aeTitle(), sim.host(), sim.port());

        Map<String, Object> hierarchical =
                Map.of("relational_queries", false, "information_models", List.of("study_root"));
        probedDcmqrscp = FLEET.registerSource(
                "dcmqrscp probed", dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port(), hierarchical);
        learningDcmqrscp = FLEET.registerSource(
                "dcmqrscp learning", dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port(), hierarchical);
        probedOrthanc = FLEET.registerSource(
                "Orthanc probed",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                Map.of("relational_queries", true, "information_models", List.of("study_root")));
        lyingPacs = FLEET.registerSource("PACS_A lying", sim.aeTitle(), sim.host(), sim.port(), Map.of());

        probedConfig = config("Probed", List.of(probedDcmqrscp, probedOrthanc));
        learningConfig = config("Learning", List.of(learningDcmqrscp));
        lyingConfig = config("Lying", List.of(lyingPacs));
        FLEET.startCoordinator("spanner-coordinator");
        worker = FLEET.startWorker(
                "dimse-query-worker",
                List.of(probedDcmqrscp, learningDcmqrscp, probedOrthanc, lyingPacs),
                Map.of("spanner.worker.key-learning.min-records-without-value", Integer.toString(LEARN_AFTER)));
    }

    private static long config(String name, List<Long> sources) throws Exception {
        long id = FLEET.createConfig(name, Fleet.comparedConfig(Map.of()));
        FLEET.mapSources(id, sources);
        return id;
    }

    /** The oracle: the peers' studies with a CT series, by StudyInstanceUID, with their series' modalities. */
    private Map<String, Set<String>> peerCtStudies() throws Exception {
        Map<String, Set<String>> ct = new TreeMap<>();
        for (Attributes st : direct.find(peers[1], "STUDY", DirectFind.keys("StudyInstanceUID", ""))) {
            String uid = st.getString(Tag.STUDY_INSTANCE_UID);
            Set<String> modalities = new TreeSet<>();
            for (Attributes se : direct.find(
                    peers[1],
                    "SERIES",
                    DirectFind.keys("StudyInstanceUID", uid, "SeriesInstanceUID", "", "Modality", ""))) {
                modalities.add(se.getString(Tag.MODALITY));
            }
            if (modalities.contains("CT")) {
                ct.put(uid, modalities);
            }
        }
        return ct;
    }

    private static Map<String, Set<String>> modalitiesByUid(List<Attributes> results) {
        Map<String, Set<String>> byUid = new TreeMap<>();
        for (Attributes r : results) {
            String[] values = r.getStrings(Tag.MODALITIES_IN_STUDY);
            byUid.put(
                    r.getString(Tag.STUDY_INSTANCE_UID),
                    values == null ? Set.of() : new TreeSet<>(Arrays.asList(values)));
        }
        return byUid;
    }

    private HttpAnswer qidoStudies(long configId, String query) throws Exception {
        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/studies?" + query + "&spanner_config_id=" + configId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer;
    }

    private JsonNode matching(long sourceId) throws Exception {
        HttpAnswer answer = FLEET.get("/api/v1/sources/" + sourceId + "/matching");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer.json();
    }

    /** The observation of {@code keyword} once there is one, as {@code keyword matched returned origin}. */
    private String awaitObservation(long sourceId, String keyword) throws Exception {
        long deadline = System.nanoTime() + OBSERVATION_WAIT.toNanos();
        while (true) {
            for (JsonNode o : matching(sourceId).get("observations")) {
                if (o.get("keyword").asString().equals(keyword)) {
                    return observation(o);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no observation of " + keyword + " for source " + sourceId + ": " + matching(sourceId));
            }
            Thread.sleep(200);
        }
    }

    private static String observation(JsonNode o) {
        return o.get("keyword").asString() + " matched=" + o.get("matched") + " returned=" + o.get("returned") + " "
                + o.get("origin").asString();
    }

    /** Starts a probe of the source and waits for it to end; its observations by keyword. */
    private Map<String, String> probe(long sourceId) throws Exception {
        JsonNode accepted = FLEET.post("/api/v1/sources/" + sourceId + "/matching/probe", Map.of(), 202);
        String requestId = accepted.get("request_id").asString();
        long deadline = System.nanoTime() + OBSERVATION_WAIT.toNanos();
        JsonNode m = matching(sourceId);
        while (m.get("probe").isNull()
                || !m.get("probe").get("request_id").asString().equals(requestId)
                || m.get("probe").get("state").asString().equals("running")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("probe " + requestId + " of source " + sourceId + " did not end: " + m);
            }
            Thread.sleep(200);
            m = matching(sourceId);
        }
        assertThat(m.get("probe").get("state").asString()).as(m.toString()).isEqualTo("done");
        Map<String, String> byKeyword = new LinkedHashMap<>();
        for (JsonNode o : m.get("observations")) {
            byKeyword.put(o.get("keyword").asString(), observation(o));
        }
        return byKeyword;
    }

    @Test
    void theProbeRecordsWhatDcmqrscpAndOrthancMatchAndDcmqrscpIsVerifiedFromThenOn() throws Exception {
        Map<String, String> dcmqrscp = probe(probedDcmqrscp);
        Map<String, String> orthanc = probe(probedOrthanc);

        // peer-quirks.md: dcmqrscp ignores ModalitiesInStudy, BodyPartExamined and SeriesDescription, returning none.
        assertThat(dcmqrscp)
                .containsEntry("ModalitiesInStudy", "ModalitiesInStudy matched=false returned=false probed")
                .containsEntry("BodyPartExamined", "BodyPartExamined matched=false returned=false probed")
                .containsEntry("SeriesDescription", "SeriesDescription matched=false returned=false probed")
                .containsEntry("IssuerOfPatientID", "IssuerOfPatientID matched=true returned=true probed")
                .containsEntry("PatientID", "PatientID matched=true returned=true probed")
                .containsEntry("StudyDate", "StudyDate matched=true returned=true probed")
                .containsEntry("AccessionNumber", "AccessionNumber matched=true returned=true probed")
                .containsEntry("Modality", "Modality matched=true returned=true probed");
        assertThat(orthanc).containsEntry("ModalitiesInStudy", "ModalitiesInStudy matched=true returned=true probed");
        assertThat(matching(probedDcmqrscp).get("verified_keys").toString())
                .isEqualTo("[\"BodyPartExamined\",\"ModalitiesInStudy\",\"SeriesDescription\"]");

        HttpAnswer answer = qidoStudies(probedConfig, "ModalitiesInStudy=CT");

        assertThat(modalitiesByUid(answer.dicom())).isEqualTo(peerCtStudies());
        assertThat(answer.warnings()).isEmpty();
    }

    @Test
    void aKeyDcmqrscpNeverReturnsIsLearnedAndTheNextAnswerIsVerified() throws Exception {
        Map<String, Set<String>> ct = peerCtStudies();

        HttpAnswer first = qidoStudies(learningConfig, "ModalitiesInStudy=CT");
        assertThat(first.dicom())
                .as("dcmqrscp's every study, before anything is known")
                .hasSize(PEER_STUDIES.studies().size())
                .hasSizeGreaterThan(ct.size())
                .hasSizeGreaterThanOrEqualTo(LEARN_AFTER);

        assertThat(awaitObservation(learningDcmqrscp, "ModalitiesInStudy"))
                .isEqualTo("ModalitiesInStudy matched=null returned=false learned");
        HttpAnswer next = qidoStudies(learningConfig, "ModalitiesInStudy=CT");

        assertThat(modalitiesByUid(next.dicom())).isEqualTo(ct);
        assertThat(next.warnings()).isEmpty();
    }

    @Test
    void aPacsThatLiesAboutAKeyIsCaughtAndItsRecordsAreVerifiedFromThenOn() throws Exception {
        // The oracle: PACS_A's studies by their own PatientSex, asked without the key.
        Map<String, String> sexByStudy = new TreeMap<>();
        for (Attributes st :
                direct.find(peers[2], "STUDY", DirectFind.keys("StudyInstanceUID", "", "PatientSex", ""))) {
            sexByStudy.put(st.getString(Tag.STUDY_INSTANCE_UID), st.getString(Tag.PATIENT_SEX));
        }
        Set<String> female = new TreeSet<>();
        sexByStudy.forEach((uid, sex) -> {
            if ("F".equals(sex)) {
                female.add(uid);
            }
        });
        assertThat(female).as("some studies of women, some not").isNotEmpty().hasSizeLessThan(sexByStudy.size());
        List<Attributes> lies =
                direct.find(peers[2], "STUDY", DirectFind.keys("StudyInstanceUID", "", "PatientSex", "F"));
        assertThat(lies).as("PACS_A ignores PatientSex").hasSize(sexByStudy.size());

        HttpAnswer first = qidoStudies(lyingConfig, "PatientSex=F");
        assertThat(uids(first.dicom())).as("the coordinator's re-check").isEqualTo(female);
        assertThat(awaitObservation(lyingPacs, "PatientSex"))
                .isEqualTo("PatientSex matched=false returned=true learned");

        String source = "source=\"" + lyingPacs + "\"";
        double droppedBefore = FLEET.metric(worker, "spanner_worker_verification_dropped_total", source);
        HttpAnswer next = qidoStudies(lyingConfig, "PatientSex=F");

        assertThat(uids(next.dicom())).isEqualTo(female);
        assertThat(next.warnings()).isEmpty();
        assertThat(FLEET.metric(worker, "spanner_worker_verification_dropped_total", source) - droppedBefore)
                .as("the worker dropped every study of a man or of unknown sex")
                .isEqualTo(sexByStudy.size() - female.size());
    }

    private static Set<String> uids(List<Attributes> results) {
        Set<String> uids = new TreeSet<>();
        results.forEach(r -> uids.add(r.getString(Tag.STUDY_INSTANCE_UID)));
        return uids;
    }
}
