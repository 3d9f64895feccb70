package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindHandler;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Orthanc acting as C-FIND SCU ({@code POST /modalities/{name}/query}) against our C-FIND SCP gets the answers dcmtk's
 * findscu gets from it with the same keys. The SCP's handler is a small archive of generated studies that matches with
 * {@link QueryMatcher} and returns every requested key.
 *
 * <p>Normalisation, because Orthanc's answers come through its REST API: they are compared on the tags findscu's
 * answers hold (Orthanc adds PatientID, AccessionNumber and the level's unique key to every request, so its answers
 * hold more), each as VR plus values as text, the VR taken from our dictionary on both sides (Orthanc's short JSON
 * has none), an empty value as no values.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrthancScuAgainstOurScpComparisonTest {
    /** 3 patients with 2 studies of 2 series of 2 images each: 6 studies, 12 series, 24 images. */
    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(47, 3, 2, 2, 2);

    private static final String OUR_AE = "OURSCP";
    private static final String OUR_NAME_IN_ORTHANC = "ourscp";

    private List<Attributes> archive;
    private DicomServer server;
    private OrthancPeer orthanc;

    @BeforeAll
    void start() throws IOException, InterruptedException {
        archive = STUDIES.instances().stream().map(i -> i.dataset()).toList();
        int port = UnusualPorts.pick();
        server = DicomServer.builder()
                .settings(DicomSettings.defaults())
                .bind("127.0.0.1", port)
                .calledAeTitles(List.of(OUR_AE))
                .requestHandler(
                        new DicomServiceRegistry().register(new CEchoScp()).register(new CFindScp(new Archive())))
                .start();
        orthanc = OrthancPeer.builder()
                .modality(OUR_NAME_IN_ORTHANC, OUR_AE, "127.0.0.1", port)
                .start();
    }

    @AfterAll
    void stop() throws IOException {
        try {
            if (orthanc != null) {
                orthanc.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Answers from the generated studies: one record per entity of the level, every requested key returned. */
    private final class Archive implements CFindHandler {
        @Override
        public void onFind(FindRequest request, FindResponder responder) {
            Attributes identifier = request.identifier();
            int levelUid = switch (request.queryRetrieveLevel()) {
                case "PATIENT" -> Tag.PATIENT_ID;
                case "STUDY" -> Tag.STUDY_INSTANCE_UID;
                case "SERIES" -> Tag.SERIES_INSTANCE_UID;
                default -> Tag.SOP_INSTANCE_UID;
            };
            QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);
            Map<String, Attributes> records = new LinkedHashMap<>();
            for (Attributes instance : archive) {
                records.putIfAbsent(instance.getString(levelUid), instance);
            }
            for (Attributes record : records.values()) {
                if (!matcher.matches(record)) {
                    continue;
                }
                Attributes match = new Attributes().setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
                for (int i = 0; i < identifier.size(); i++) {
                    int tag = identifier.tagAt(i);
                    if (tag == Tag.QUERY_RETRIEVE_LEVEL) {
                        match.setString(tag, VR.CS, request.queryRetrieveLevel());
                    } else if (tag != Tag.SPECIFIC_CHARACTER_SET) {
                        if (record.contains(tag)) {
                            match.copyFrom(record, tag);
                        } else {
                            match.setNull(tag, identifier.vrAt(i));
                        }
                    }
                }
                responder.pending(match);
            }
            responder.complete();
        }
    }

    private Findscu.Result findscu(String level, Map<String, String> keys) throws IOException, InterruptedException {
        Findscu f = Findscu.to("127.0.0.1", server.port(), OUR_AE).level(level);
        keys.forEach((k, v) -> {
            if (v.isEmpty()) {
                f.key(k);
            } else {
                f.key(k, v);
            }
        });
        Findscu.Result result = f.run();
        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.finalStatus()).as(result.log()).isEqualTo(Status.SUCCESS);
        assertThat(result.pendingStatuses()).hasSize(result.responses().size()).containsOnly(Status.PENDING);
        return result;
    }

    /** An answer on the given tags: tag to "VR:value\value...", empty values as nothing after the colon. */
    private static Map<Integer, String> projected(Attributes answer, Iterable<Integer> tags) {
        Map<Integer, String> row = new TreeMap<>();
        for (int tag : tags) {
            if (answer.contains(tag)) {
                String[] values = answer.getStrings(tag);
                row.put(
                        tag,
                        ElementDictionary.standard().vrOf(tag) + ":"
                                + (values == null ? "" : String.join("\\", values)));
            } else {
                row.put(tag, "absent");
            }
        }
        return row;
    }

    private void assertOrthancGetsFindscusAnswers(String level, Map<String, String> keys, int expectedMatches)
            throws IOException, InterruptedException {
        Findscu.Result theirs = findscu(level, keys);
        List<Attributes> viaOrthanc = orthanc.queryModality(OUR_NAME_IN_ORTHANC, level, keys);

        assertThat(theirs.responses()).as("findscu %s %s", level, keys).hasSize(expectedMatches);
        List<Integer> tags = new ArrayList<>();
        Attributes first = theirs.responses().get(0);
        for (int i = 0; i < first.size(); i++) {
            tags.add(first.tagAt(i));
        }
        assertThat(viaOrthanc.stream().map(a -> projected(a, tags)).toList())
                .as("Orthanc %s %s", level, keys)
                .containsExactlyInAnyOrderElementsOf(
                        theirs.responses().stream().map(a -> projected(a, tags)).toList());
    }

    private static Map<String, String> keys(String... keywordsAndValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keywordsAndValues.length; i += 2) {
            keys.put(keywordsAndValues[i], keywordsAndValues[i + 1]);
        }
        return keys;
    }

    @Test
    void studyLevelReturnKeysGiveOrthancWhatFindscuGets() throws Exception {
        assertOrthancGetsFindscusAnswers(
                "STUDY",
                keys(
                        "StudyInstanceUID", "",
                        "PatientName", "",
                        "PatientID", "",
                        "PatientBirthDate", "",
                        "StudyDate", "",
                        "StudyDescription", "",
                        "AccessionNumber", ""),
                6);
    }

    @Test
    void studyLevelPatientIdMatchGivesOrthancWhatFindscuGets() throws Exception {
        String patientId = STUDIES.patients()
                .get(1)
                .studies()
                .get(0)
                .series()
                .get(0)
                .instances()
                .get(0)
                .dataset()
                .getString(Tag.PATIENT_ID);
        assertOrthancGetsFindscusAnswers(
                "STUDY", keys("PatientID", patientId, "StudyInstanceUID", "", "PatientName", "", "StudyDate", ""), 2);
    }

    @Test
    void seriesLevelWithinAStudyGivesOrthancWhatFindscuGets() throws Exception {
        String study = STUDIES.studies().get(2).studyInstanceUid();
        assertOrthancGetsFindscusAnswers(
                "SERIES",
                keys(
                        "StudyInstanceUID", study,
                        "SeriesInstanceUID", "",
                        "Modality", "",
                        "SeriesNumber", "",
                        "SeriesDescription", ""),
                2);
    }

    @Test
    void imageLevelWithinASeriesGivesOrthancWhatFindscuGets() throws Exception {
        var series = STUDIES.series().get(3);
        String study = series.instances().get(0).dataset().getString(Tag.STUDY_INSTANCE_UID);
        assertOrthancGetsFindscusAnswers(
                "IMAGE",
                keys(
                        "StudyInstanceUID", study,
                        "SeriesInstanceUID", series.seriesInstanceUid(),
                        "SOPInstanceUID", "",
                        "SOPClassUID", "",
                        "InstanceNumber", ""),
                2);
    }
}
