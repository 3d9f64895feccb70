package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticPatient;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.net.Status;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A matching key one PACS ignores: dcmqrscp returns every study whatever ModalitiesInStudy asks (peer-quirks.md),
 * Orthanc and the simulator match it. The same fleet is spanned twice, through two configs that differ only in how
 * dcmqrscp is registered: with {@code unmatched_keys} naming ModalitiesInStudy and BodyPartExamined, and without. The
 * oracle asks each PACS alone for every study's series and applies the matching rules itself: a study matches
 * ModalitiesInStudy=CT when one of its series has Modality CT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IgnoredMatchingKeyTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("ignoredkey");

    /** 6 patients with 2 studies of 2 series of 1 image: patients 0-3 on dcmqrscp, 2-5 on Orthanc (2, 3 on both). */
    private static final SyntheticStudies PEER_STUDIES = SyntheticStudies.generate(8128, 6, 2, 2, 1);

    /** The modalities of the series of the n-th peer study (patient * 2 + study), cycled. */
    private static final List<List<String>> SERIES_MODALITIES = List.of(
            List.of("CT", "CT"),
            List.of("MR", "MR"),
            List.of("CT", "MR"),
            List.of("CR", "CR"),
            List.of("PT", "CT"),
            List.of("US", "US"));

    private static final String ALL_DATES = "19000101-20991231";
    private static final String DECLARED_AE = "SPAN_DECLARED";
    private static final String PLAIN_AE = "SPAN_PLAIN";

    /** The PACS as asked directly: dcmqrscp, Orthanc, the simulated PACS. */
    private final List<DirectFind.Pacs> fleet = new ArrayList<>();

    private DirectFind direct;
    private Fleet.Listener listener;
    private long declaredConfig;
    private long plainConfig;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(1, 6, List.of("--latency-ms", "5-20"));
        Path files = FLEET.runDir().resolve("peer-files");
        List<SyntheticPatient> patients = PEER_STUDIES.patients();
        DcmqrscpPeer dcmqrscp = FLEET.closeAfterAll(DcmqrscpPeer.builder()
                .aeTitle("DCMQRSCP")
                .files(peerFiles(patients.subList(0, 4), files.resolve("dcmqrscp")))
                .start());
        OrthancPeer orthanc = FLEET.closeAfterAll(
                OrthancPeer.builder().aeTitle("ORTHANC_E2E").dicomWeb(false).start());
        orthanc.upload(peerFiles(patients.subList(2, 6), files.resolve("orthanc")));
        direct = FLEET.closeAfterAll(new DirectFind());

        Map<String, Object> dcmqrscpFields =
                Map.of("relational_queries", false, "information_models", List.of("study_root"));
        Map<String, Object> declaredFields = new LinkedHashMap<>(dcmqrscpFields);
        declaredFields.put("unmatched_keys", List.of("ModalitiesInStudy", "BodyPartExamined"));
        long declaredSource = FLEET.registerSource(
                "dcmqrscp declared", dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port(), declaredFields);
        long plainSource = FLEET.registerSource(
                "dcmqrscp plain", dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port(), dcmqrscpFields);
        long orthancSource = FLEET.registerSource(
                "Orthanc",
                orthanc.aeTitle(),
                orthanc.host(),
                orthanc.dicomPort(),
                Map.of("relational_queries", true, "information_models", List.of("study_root")));
        SimulatorProcess.Pacs sim = simulator.pacs().get(0);
        long simulatorSource = FLEET.registerSource(sim.name(), sim.aeTitle(), sim.host(), sim.port(), Map.of());
        fleet.add(new DirectFind.Pacs(dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port()));
        fleet.add(new DirectFind.Pacs(orthanc.aeTitle(), orthanc.host(), orthanc.dicomPort()));
        fleet.add(new DirectFind.Pacs(sim.aeTitle(), sim.host(), sim.port()));

        declaredConfig = config("Declared", DECLARED_AE, List.of(declaredSource, orthancSource, simulatorSource));
        plainConfig = config("Plain", PLAIN_AE, List.of(plainSource, orthancSource, simulatorSource));
        FLEET.startCoordinator("spanner-coordinator");
        // Nothing learned from answers: the plain registration must stay as declared (ObservedMatchingKeyTest learns).
        FLEET.startWorker(
                "dimse-query-worker",
                List.of(declaredSource, plainSource, orthancSource, simulatorSource),
                Map.of("spanner.worker.key-learning.enabled", "false"));
        listener = FLEET.startListener("dimse-scp-listener");
    }

    private static long config(String name, String scpAeTitle, List<Long> sources) throws Exception {
        long id = FLEET.createConfig(name, Fleet.comparedConfig(Map.of("scp_ae_title", scpAeTitle)));
        FLEET.mapSources(id, sources);
        return id;
    }

    /** The patients' images as Part-10 files, each series given its modality from {@link #SERIES_MODALITIES}. */
    private static List<Path> peerFiles(List<SyntheticPatient> patients, Path dir) throws Exception {
        List<SyntheticStudy> studies =
                patients.stream().flatMap(p -> p.studies().stream()).toList();
        return PeerFiles.part10(studies, dir, PeerFiles.cycled(PEER_STUDIES.studies(), SERIES_MODALITIES));
    }

    /** A study as the PACS holding it describe it when asked alone: its date and its series' modalities. */
    private record Study(String date, Set<String> modalities) {}

    /** Every study of the fleet by StudyInstanceUID, each PACS asked alone for its studies and each study's series. */
    private Map<String, Study> everyStudy() throws Exception {
        Map<String, Study> studies = new LinkedHashMap<>();
        for (DirectFind.Pacs pacs : fleet) {
            // No matching key: the simulator holds studies without a StudyDate, which a date range would leave out.
            for (Attributes st : direct.find(pacs, "STUDY", DirectFind.keys("StudyDate", "", "StudyInstanceUID", ""))) {
                String uid = st.getString(Tag.STUDY_INSTANCE_UID);
                Set<String> modalities = new TreeSet<>();
                for (Attributes se : direct.find(
                        pacs,
                        "SERIES",
                        DirectFind.keys("StudyInstanceUID", uid, "SeriesInstanceUID", "", "Modality", ""))) {
                    modalities.add(se.getString(Tag.MODALITY));
                }
                Study known = studies.get(uid);
                if (known != null) {
                    modalities.addAll(known.modalities());
                }
                studies.put(uid, new Study(st.getString(Tag.STUDY_DATE), modalities));
            }
        }
        return studies;
    }

    /** The oracle: every study with a CT series. */
    private static Map<String, Study> ctStudies(Map<String, Study> all) {
        Map<String, Study> matching = new LinkedHashMap<>();
        all.forEach((uid, st) -> {
            if (st.modalities().contains("CT")) {
                matching.put(uid, st);
            }
        });
        return matching;
    }

    /**
     * The oracle: the studies with a CT series dated within {@code from}-{@code to} (inclusive, YYYYMMDD); a study
     * without a StudyDate is outside every range, as every PACS of the fleet matches it.
     */
    private static Map<String, Study> ctStudies(Map<String, Study> all, String from, String to) {
        Map<String, Study> matching = new LinkedHashMap<>();
        ctStudies(all).forEach((uid, st) -> {
            if (st.date() != null && st.date().compareTo(from) >= 0 && st.date().compareTo(to) <= 0) {
                matching.put(uid, st);
            }
        });
        return matching;
    }

    /** The StudyDate of the middle peer study: a range up to it holds some of the CT studies and not all. */
    private static String middleDate() {
        List<String> dates = PEER_STUDIES.studies().stream()
                .map(SyntheticStudy::studyDate)
                .sorted()
                .toList();
        return dates.get(dates.size() / 2);
    }

    private static Map<String, Set<String>> modalitiesByUid(List<Attributes> results) {
        Map<String, Set<String>> byUid = new LinkedHashMap<>();
        for (Attributes r : results) {
            String[] values = r.getStrings(Tag.MODALITIES_IN_STUDY);
            byUid.put(
                    r.getString(Tag.STUDY_INSTANCE_UID),
                    values == null ? Set.of() : new TreeSet<>(Arrays.asList(values)));
        }
        return byUid;
    }

    private static Set<String> studyUids(List<Attributes> results) {
        Set<String> uids = new TreeSet<>();
        results.forEach(r -> uids.add(r.getString(Tag.STUDY_INSTANCE_UID)));
        return uids;
    }

    private static Map<String, Set<String>> modalities(Map<String, Study> studies) {
        return studies.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().modalities()));
    }

    private HttpAnswer qidoStudies(long configId, String query) throws Exception {
        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/studies?" + query + "&spanner_config_id=" + configId);
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        return answer;
    }

    /** The status of the answer's query: COMPLETE, each source SUCCESS with its {@code unverified_keys}, by name. */
    private Map<String, List<String>> unverifiedKeysBySource(HttpAnswer answer) throws Exception {
        HttpAnswer status = FLEET.get("/api/v1/spanner/queries/" + answer.header("X-Query-Id") + "/status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        JsonNode s = status.json();
        assertThat(s.get("state").asString()).as(s.toString()).isEqualTo("COMPLETE");
        Map<String, List<String>> keys = new LinkedHashMap<>();
        for (JsonNode source : s.get("sources")) {
            assertThat(source.get("state").asString()).as(source.toString()).isEqualTo("SUCCESS");
            List<String> named = new ArrayList<>();
            source.get("unverified_keys").forEach(k -> named.add(k.asString()));
            keys.put(source.get("name").asString(), named);
        }
        return keys;
    }

    /** The study query of the tests through the listener with findscu: the spanned matches' identifiers. */
    private Findscu.Result findscuStudies(String scpAeTitle, String studyDate) throws Exception {
        Findscu.Result result = Findscu.to("127.0.0.1", listener.dicomPort(), scpAeTitle)
                .level("STUDY")
                .key("StudyInstanceUID")
                .key("StudyDate", studyDate) // empty: a return key
                .key("ModalitiesInStudy", "CT")
                .run();
        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Status.SUCCESS);
        return result;
    }

    @Test
    void withTheDeclarationStudiesWithACtSeriesAreExactlyTheOracleOverQidoAndTheListener() throws Exception {
        Map<String, Study> all = everyStudy();
        Map<String, Study> ct = ctStudies(all);
        Map<String, Study> ctInRange = ctStudies(all, "19000101", middleDate());
        // The fleet must make the key matter: CT-only, CT+MR and studies without CT, some of them on dcmqrscp; a study
        // on dcmqrscp and Orthanc; and a date range that keeps some CT studies and not all.
        assertThat(all.values().stream().map(Study::modalities))
                .contains(Set.of("CT"), Set.of("MR"), Set.of("CT", "MR"), Set.of("CT", "PT"));
        assertThat(ctInRange).isNotEmpty().hasSizeLessThan(ct.size());

        HttpAnswer ctAlone = qidoStudies(declaredConfig, "ModalitiesInStudy=CT");
        HttpAnswer ctByDate = qidoStudies(declaredConfig, "ModalitiesInStudy=CT&StudyDate=19000101-" + middleDate());

        assertThat(modalitiesByUid(ctAlone.dicom())).isEqualTo(modalities(ct));
        assertThat(ctAlone.dicom())
                .extracting(r -> r.vrOf(Tag.MODALITIES_IN_STUDY))
                .containsOnly(VR.CS);
        assertThat(modalitiesByUid(ctByDate.dicom())).isEqualTo(modalities(ctInRange));
        for (HttpAnswer answer : List.of(ctAlone, ctByDate)) {
            assertThat(answer.warnings()).as("Warning headers").isEmpty();
            assertThat(unverifiedKeysBySource(answer))
                    .isEqualTo(Map.of("dcmqrscp declared", List.of(), "Orthanc", List.of(), "PACS_A", List.of()));
        }

        Findscu.Result viaListener = findscuStudies(DECLARED_AE, "19000101-" + middleDate());
        assertThat(studyUids(viaListener.responses())).isEqualTo(new TreeSet<>(ctInRange.keySet()));
        assertThat(viaListener.responses()).hasSize(ctInRange.size());
        assertThat(viaListener.pendingStatuses())
                .as("no FF01: every key applied")
                .containsOnly(Status.PENDING);
    }

    @Test
    void fuzzyMatchingAskedGivesTheSameVerifiedAnswerWithOnlyTheLiteralMatchingWarning() throws Exception {
        Map<String, Study> ct = ctStudies(everyStudy());

        HttpAnswer fuzzy = qidoStudies(declaredConfig, "ModalitiesInStudy=CT&fuzzymatching=true");

        // The verification applies DICOM's literal rules, which is what the warning says was done.
        assertThat(modalitiesByUid(fuzzy.dicom())).isEqualTo(modalities(ct));
        assertThat(fuzzy.warnings())
                .singleElement()
                .asString()
                .matches("299 \\S+ \"The fuzzymatching parameter is not supported\\. Only literal matching has been"
                        + " performed\\.\"");
        assertThat(unverifiedKeysBySource(fuzzy))
                .isEqualTo(Map.of("dcmqrscp declared", List.of(), "Orthanc", List.of(), "PACS_A", List.of()));
    }

    @Test
    void includedFieldsComeWithTheVerifiedStudiesAndNothingOfTheSeriesAskedToVerifyThem() throws Exception {
        Map<String, Study> ct = ctStudies(everyStudy());

        HttpAnswer answer = qidoStudies(declaredConfig, "ModalitiesInStudy=CT&includefield=StudyDescription");

        assertThat(modalitiesByUid(answer.dicom())).isEqualTo(modalities(ct));
        assertThat(answer.warnings()).isEmpty();
        for (Attributes study : answer.dicom()) {
            assertThat(study.contains(Tag.STUDY_DESCRIPTION))
                    .as("included field of %s", study.getString(Tag.STUDY_INSTANCE_UID))
                    .isTrue();
            assertThat(study.vrOf(Tag.STUDY_DESCRIPTION)).isEqualTo(VR.LO);
            assertThat(study.contains(Tag.MODALITY))
                    .as("the series' Modality stays with the series")
                    .isFalse();
            assertThat(study.contains(Tag.SERIES_INSTANCE_UID)).isFalse();
        }
    }

    @Test
    void withoutTheDeclarationDcmqrscpsStudiesWithoutCtComeToo() throws Exception {
        Map<String, Study> all = everyStudy();
        Map<String, Study> ct = ctStudies(all);
        Set<String> onDcmqrscp = new TreeSet<>(
                direct
                        .find(fleet.get(0), "STUDY", DirectFind.keys("StudyDate", ALL_DATES, "StudyInstanceUID", ""))
                        .stream()
                        .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                        .toList());
        Set<String> expected = new TreeSet<>(ct.keySet());
        expected.addAll(onDcmqrscp);
        assertThat(expected).as("dcmqrscp holds studies without CT").hasSizeGreaterThan(ct.size());

        HttpAnswer answer = qidoStudies(plainConfig, "ModalitiesInStudy=CT");
        Findscu.Result viaListener = findscuStudies(PLAIN_AE, "");

        assertThat(modalitiesByUid(answer.dicom()).keySet()).isEqualTo(expected);
        assertThat(studyUids(viaListener.responses())).isEqualTo(expected);
    }

    @Test
    void aDeclaredKeyTheWorkerCannotVerifyIsNamedInTheStatusAndAWarning() throws Exception {
        // dcmqrscp neither matches nor returns BodyPartExamined: its series are kept, the key reported.
        String study = PEER_STUDIES.patients().get(2).studies().get(0).studyInstanceUid();
        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/series?StudyInstanceUID=" + study
                + "&BodyPartExamined=NOSUCHPART&spanner_config_id=" + declaredConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.dicom())
                .extracting(r -> r.getString(Tag.RETRIEVE_AE_TITLE))
                .as("only dcmqrscp's unverified series")
                .hasSize(2)
                .containsOnly("DCMQRSCP");
        assertThat(answer.warnings())
                .singleElement()
                .asString()
                .matches("299 \\S+ \"Source dcmqrscp declared \\(AE DCMQRSCP\\) could not apply the matching keys"
                        + " BodyPartExamined: its results for them are not verified\"");
        assertThat(unverifiedKeysBySource(answer))
                .isEqualTo(Map.of(
                        "dcmqrscp declared", List.of("BodyPartExamined"), "Orthanc", List.of(), "PACS_A", List.of()));

        Findscu.Result viaListener = Findscu.to("127.0.0.1", listener.dicomPort(), DECLARED_AE)
                .level("SERIES")
                .key("StudyInstanceUID", study)
                .key("SeriesInstanceUID")
                .key("BodyPartExamined", "NOSUCHPART")
                .run();
        assertThat(viaListener.finalStatus()).as(viaListener.log()).isEqualTo(Status.SUCCESS);
        assertThat(viaListener.responses()).hasSize(2);
        assertThat(viaListener.pendingStatuses())
                .as("FF01: optional keys not supported")
                .containsOnly(Status.PENDING_WARNING);
    }
}
