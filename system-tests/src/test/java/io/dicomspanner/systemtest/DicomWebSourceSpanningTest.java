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
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.json.DicomJsonReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
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
 * A DICOMweb archive as a source beside a DIMSE PACS: Orthanc with its DICOMweb plugin, asked by the worker over
 * QIDO-RS (HTTP basic authentication), and a simulated PACS asked with C-FIND, some studies on both under the same
 * UIDs (copied from the simulated PACS into Orthanc). Every answer is compared with what each source answers when asked
 * alone, past the spanner (the PACS with our C-FIND SCU, Orthanc with our own QIDO-RS request): the de-duplicated union
 * by UID, with a Retrieve AE Title naming exactly the sources that hold each. Also: an Orthanc asked 2 results at a
 * time ({@code page_size} 2) gives every match through its pages, and a wrong password ends that source with
 * {@code HTTP 401 Unauthorized} in the query's status, a Warning and the source's health.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DicomWebSourceSpanningTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("dicomweb");

    private static final String ALL_DATES = "19000101-20991231";
    private static final String USER = "spanner";
    private static final String PASSWORD = "orthanc-E2E-pw";
    private static final String ORTHANC_AE = "ORTHANC_WEB";
    private static final String PAGED_AE = "ORTHANC_PAGED";
    private static final String BAD_PASSWORD_AE = "ORTHANC_BADPW";
    /** Orthanc's own studies, on no other source. */
    private static final SyntheticStudies ORTHANC_ONLY = SyntheticStudies.generate(8123, 2, 1, 2, 1);
    /** 6 studies on the Orthanc asked 2 at a time. */
    private static final SyntheticStudies PAGED = SyntheticStudies.generate(9321, 3, 2, 1, 1);

    private final HttpClient http = HttpClient.newHttpClient();
    private OrthancPeer orthanc;
    private OrthancPeer paged;
    private DirectFind direct;
    private DirectFind.Pacs pacs;
    private String pacsAe;
    private final List<String> sharedStudies = new ArrayList<>();
    private long badPasswordSource;
    private long orthancSource;
    private long mixedConfig;
    private long pagedConfig;
    private long badPasswordConfig;

    @BeforeAll
    void startFleet() throws Exception {
        SimulatorProcess simulator = FLEET.startSimulator(1, 6, List.of());
        SimulatorProcess.Pacs p = simulator.pacs().get(0);
        pacs = new DirectFind.Pacs(p.aeTitle(), p.host(), p.port());
        pacsAe = p.aeTitle();
        direct = new DirectFind();

        orthanc = OrthancPeer.builder()
                .aeTitle(ORTHANC_AE)
                .basicAuth(USER, PASSWORD)
                .start();
        paged = OrthancPeer.builder().aeTitle(PAGED_AE).verbose(true).start();
        for (SyntheticInstance i : instances(ORTHANC_ONLY)) {
            orthanc.upload(i.toPart10());
        }
        for (SyntheticInstance i : instances(PAGED)) {
            paged.upload(i.toPart10());
        }
        // two of the simulated PACS's studies, copied into Orthanc under the same UIDs
        List<Attributes> pacsStudies = direct.find(pacs, "STUDY", studyKeys());
        for (Attributes study : pacsStudies.subList(0, 2)) {
            copyIntoOrthanc(study);
            sharedStudies.add(study.getString(Tag.STUDY_INSTANCE_UID));
        }

        long pacsSource = FLEET.registerSource(p.name(), p.aeTitle(), p.host(), p.port(), Map.of());
        orthancSource = registerDicomWeb(
                "Orthanc web",
                ORTHANC_AE,
                orthanc,
                Map.of("auth", Map.of("type", "basic", "username", USER, "password", PASSWORD), "page_size", 3));
        long pagedSource = registerDicomWeb("Orthanc paged", PAGED_AE, paged, Map.of("page_size", 2));
        badPasswordSource = registerDicomWeb(
                "Orthanc wrong password",
                BAD_PASSWORD_AE,
                orthanc,
                Map.of("auth", Map.of("type", "basic", "username", USER, "password", "not-" + PASSWORD)));

        mixedConfig = FLEET.createConfig("PACS and DICOMweb", Fleet.comparedConfig(Map.of()));
        FLEET.mapSource(mixedConfig, pacsSource, 1, Map.of());
        FLEET.mapSource(mixedConfig, orthancSource, 2, Map.of("source_type", "dicomweb"));
        pagedConfig = FLEET.createConfig("Paged DICOMweb", Fleet.comparedConfig(Map.of()));
        FLEET.mapSource(pagedConfig, pagedSource, 1, Map.of("source_type", "dicomweb"));
        badPasswordConfig = FLEET.createConfig("Wrong password", Fleet.comparedConfig(Map.of()));
        FLEET.mapSource(badPasswordConfig, pacsSource, 1, Map.of());
        FLEET.mapSource(badPasswordConfig, badPasswordSource, 2, Map.of("source_type", "dicomweb"));

        FLEET.startCoordinator("spanner-coordinator");
        FLEET.startWorker(
                "dimse-query-worker", List.of(pacsSource, orthancSource, pagedSource, badPasswordSource), Map.of());
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
            if (paged != null) {
                paged.close();
            }
        }
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

    private static Map<String, String> studyKeys() {
        return DirectFind.keys(
                "StudyDate", ALL_DATES,
                "StudyInstanceUID", "",
                "StudyTime", "",
                "PatientID", "",
                "PatientName", "",
                "PatientBirthDate", "",
                "PatientSex", "",
                "AccessionNumber", "");
    }

    /** Every instance of a study of the simulated PACS, stored into Orthanc with the PACS's own values. */
    private void copyIntoOrthanc(Attributes study) throws Exception {
        for (byte[] file : direct.studyAsPart10(pacs, study.getString(Tag.STUDY_INSTANCE_UID))) {
            orthanc.upload(file);
        }
    }

    private static List<SyntheticInstance> instances(SyntheticStudies studies) {
        List<SyntheticInstance> all = new ArrayList<>();
        for (SyntheticPatient patient : studies.patients()) {
            for (SyntheticStudy st : patient.studies()) {
                for (SyntheticSeries se : st.series()) {
                    all.addAll(se.instances());
                }
            }
        }
        return all;
    }

    /** What Orthanc answers our own QIDO-RS request, past the spanner: the archive asked alone. */
    private List<Attributes> askOrthancAlone(OrthancPeer peer, String pathAndQuery, boolean authenticated)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(peer.dicomWebRoot().toString().replaceAll("/$", "") + pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/dicom+json");
        if (authenticated) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).as(pathAndQuery).isEqualTo(200);
        return new DicomJsonReader().readList(response.body());
    }

    /** Holders (AE titles, PACS first) by UID: the union of what each source answered alone. */
    private static Map<String, Set<String>> holders(int uidTag, Map<String, List<Attributes>> bySource) {
        Map<String, Set<String>> holders = new LinkedHashMap<>();
        bySource.forEach((ae, records) -> {
            for (Attributes r : records) {
                holders.computeIfAbsent(r.getString(uidTag), u -> new LinkedHashSet<>())
                        .add(ae);
            }
        });
        return holders;
    }

    /** Each UID of the union once, its Retrieve AE Title (VR AE) naming exactly the sources that hold it. */
    private static void assertUnion(HttpAnswer answer, int uidTag, Map<String, Set<String>> expected) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).as("Warning headers").isEmpty();
        List<Attributes> results = answer.dicom();
        List<String> uids = results.stream().map(r -> r.getString(uidTag)).toList();
        assertThat(uids).as("UIDs, each once").doesNotHaveDuplicates();
        assertThat(new LinkedHashSet<>(uids)).as("UIDs").isEqualTo(expected.keySet());
        for (Attributes r : results) {
            String uid = r.getString(uidTag);
            assertThat(r.vrOf(Tag.RETRIEVE_AE_TITLE)).isEqualTo(VR.AE);
            assertThat(Set.copyOf(Arrays.asList(r.getStrings(Tag.RETRIEVE_AE_TITLE))))
                    .as("RetrieveAETitle of %s", uid)
                    .isEqualTo(expected.get(uid));
        }
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
                    List.of(
                            source.get("state").asString(),
                            error == null || error.isNull() ? "" : error.asString(),
                            source.get("matches").asString()));
        }
        return states;
    }

    @Test
    void studiesOfThePacsAndTheDicomwebArchiveAreTheirUnionByStudyInstanceUid() throws Exception {
        Map<String, List<Attributes>> alone = new LinkedHashMap<>();
        alone.put(pacsAe, direct.find(pacs, "STUDY", studyKeys()));
        alone.put(ORTHANC_AE, askOrthancAlone(orthanc, "/studies?StudyDate=" + ALL_DATES, true));
        Map<String, Set<String>> expected = holders(Tag.STUDY_INSTANCE_UID, alone);
        // the sources really overlap, and each holds studies of its own
        for (String shared : sharedStudies) {
            assertThat(expected.get(shared)).containsExactly(pacsAe, ORTHANC_AE);
        }
        assertThat(alone.get(ORTHANC_AE)).hasSize(sharedStudies.size() + 2);
        assertThat(expected.values()).anyMatch(h -> h.equals(Set.of(pacsAe)));
        assertThat(expected.values()).anyMatch(h -> h.equals(Set.of(ORTHANC_AE)));

        HttpAnswer answer =
                FLEET.get("/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + "&spanner_config_id=" + mixedConfig);

        assertUnion(answer, Tag.STUDY_INSTANCE_UID, expected);
        assertThat(sourceStates(answer))
                .containsEntry(
                        "Orthanc web",
                        List.of(
                                "SUCCESS",
                                "",
                                Integer.toString(alone.get(ORTHANC_AE).size())));
    }

    @Test
    void seriesOfASharedStudyAreTheUnionOfBothSourcesOnTheDicomwebPath() throws Exception {
        String study = sharedStudies.get(0);
        Map<String, List<Attributes>> alone = new LinkedHashMap<>();
        alone.put(
                pacsAe,
                direct.find(
                        pacs,
                        "SERIES",
                        DirectFind.keys("StudyInstanceUID", study, "SeriesInstanceUID", "", "Modality", "")));
        alone.put(ORTHANC_AE, askOrthancAlone(orthanc, "/studies/" + study + "/series", true));
        Map<String, Set<String>> expected = holders(Tag.SERIES_INSTANCE_UID, alone);
        assertThat(expected).isNotEmpty();
        assertThat(expected.values()).allMatch(h -> h.equals(Set.of(pacsAe, ORTHANC_AE)));

        HttpAnswer answer = FLEET.get("/dicomweb/" + mixedConfig + "/studies/" + study + "/series");

        assertUnion(answer, Tag.SERIES_INSTANCE_UID, expected);
    }

    @Test
    void anArchiveAskedTwoResultsAtATimeGivesEveryMatchThroughItsPages() throws Exception {
        Set<String> loaded = new LinkedHashSet<>();
        PAGED.patients().forEach(p -> p.studies().forEach(s -> loaded.add(s.studyInstanceUid())));
        assertThat(loaded).hasSize(6);

        HttpAnswer answer = FLEET.get("/api/v1/spanner/qido/studies?spanner_config_id=" + pagedConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.warnings()).isEmpty();
        List<String> uids = answer.dicom().stream()
                .map(r -> r.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(Set.copyOf(uids)).isEqualTo(loaded);
        assertThat(answer.dicom())
                .allSatisfy(r -> assertThat(r.getStrings(Tag.RETRIEVE_AE_TITLE)).containsExactly(PAGED_AE));
        // Orthanc saw the pages (its log ends each search's arguments with the paging ones): 2 studies each, then an
        // empty one that ends the search
        List<String> pages = paged.log()
                .lines()
                .filter(l -> l.contains("Arguments of QIDO-RS request:"))
                .map(l -> l.contains("[limit=")
                        ? l.substring(l.indexOf("[limit=")).strip()
                        : "unpaged: " + l)
                .toList();
        assertThat(pages)
                .containsExactly(
                        "[limit=2] [offset=0]", "[limit=2] [offset=2]", "[limit=2] [offset=4]", "[limit=2] [offset=6]");
    }

    @Test
    void aWrongPasswordEndsThatSourceWithHttp401InStatusWarningAndHealth() throws Exception {
        Set<String> pacsStudies = new LinkedHashSet<>();
        direct.find(pacs, "STUDY", studyKeys()).forEach(r -> pacsStudies.add(r.getString(Tag.STUDY_INSTANCE_UID)));

        HttpAnswer answer = FLEET.get(
                "/api/v1/spanner/qido/studies?StudyDate=" + ALL_DATES + "&spanner_config_id=" + badPasswordConfig);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.dicom().stream()
                        .map(r -> r.getString(Tag.STUDY_INSTANCE_UID))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(pacsStudies);
        assertThat(sourceStates(answer))
                .containsEntry("Orthanc wrong password", List.of("REFUSED", "HTTP 401 Unauthorized", "0"));
        assertThat(answer.warnings()).hasSize(1);
        assertThat(answer.warnings().get(0))
                .startsWith("299 ")
                .endsWith(": \"Source Orthanc wrong password (AE " + BAD_PASSWORD_AE
                        + ") refused: HTTP 401 Unauthorized\"");

        Instant asked = Instant.now();
        FLEET.post("/api/v1/sources/" + badPasswordSource + "/health/echo", Map.of(), 202);
        FLEET.post("/api/v1/sources/" + orthancSource + "/health/echo", Map.of(), 202);
        JsonNode bad = FLEET.sourceHealthCheckedSince(badPasswordSource, asked);
        JsonNode good = FLEET.sourceHealthCheckedSince(orthancSource, asked);
        assertThat(bad.get("state").asString()).isEqualTo("down");
        assertThat(bad.get("error").asString()).isEqualTo("HTTP 401 Unauthorized");
        assertThat(good.get("state").asString()).as(good.toString()).isEqualTo("up");
        assertThat(good.get("error").isNull()).isTrue();
        assertThat(good.get("latency_millis").asLong()).isBetween(0L, 20_000L);
    }
}
