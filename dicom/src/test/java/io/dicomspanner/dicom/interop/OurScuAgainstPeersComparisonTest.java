package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our C-FIND SCU against dcmtk's dcmqrscp and against Orthanc, both loaded with pydicom samples and generated
 * studies: at STUDY, SERIES and IMAGE level our matches equal, as a set and attribute by attribute ({@link
 * Attributes#equals}: same tags, VRs and values), what dcmtk's findscu gets from the same peer with the same keys. No
 * normalisation is applied: each peer's quirks (keys dcmqrscp leaves out, Orthanc's counts and ISO_IR 192) must show
 * in both answers alike. Both SCUs propose no extended negotiation, so the peers answer both the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OurScuAgainstPeersComparisonTest {
    /** 4 patients with 2 studies of 2 series of 2 images each: 8 studies, 16 series, 32 images. */
    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(31, 4, 2, 2, 2);

    private static final List<Path> SAMPLES = List.of(
            PydicomSamples.testFile("CT_small.dcm"),
            PydicomSamples.testFile("MR_small.dcm"),
            PydicomSamples.ROOT.resolve("charset_files").resolve("chrGerm.dcm"));

    private static final int STUDIES_LOADED = 8 + SAMPLES.size();

    /** Bound on one C-FIND of ours; far beyond what these small archives need. */
    private static final long FIND_TIMEOUT_SECONDS = 60;

    private static final String CALLING_AE = "SPANNER";

    enum Peer {
        DCMQRSCP,
        ORTHANC
    }

    private final List<Attributes> loaded = new ArrayList<>();
    private DcmqrscpPeer dcmqrscp;
    private OrthancPeer orthanc;
    private DicomClient client;

    @BeforeAll
    void startPeers() throws IOException, InterruptedException {
        for (Path sample : SAMPLES) {
            loaded.add(DicomFile.read(sample).dataset());
        }
        STUDIES.instances().forEach(i -> loaded.add(i.dataset()));
        dcmqrscp = DcmqrscpPeer.builder().files(SAMPLES).studies(STUDIES).start();
        orthanc = OrthancPeer.builder().start();
        orthanc.upload(SAMPLES);
        orthanc.upload(STUDIES);
        client = new DicomClient(DicomSettings.defaults());
    }

    @AfterAll
    void stopPeers() throws IOException {
        try {
            if (client != null) {
                client.close();
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

    /** One C-FIND's keys, in the order given: keyword to value, {@code ""} for a return key. */
    private static Map<String, String> keys(String... keywordsAndValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keywordsAndValues.length; i += 2) {
            keys.put(keywordsAndValues[i], keywordsAndValues[i + 1]);
        }
        return keys;
    }

    private Findscu.Result findscu(Peer peer, String level, Map<String, String> keys)
            throws IOException, InterruptedException {
        Findscu f = switch (peer) {
            case DCMQRSCP -> Findscu.to(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle());
            case ORTHANC -> Findscu.to(orthanc.host(), orthanc.dicomPort(), orthanc.aeTitle());
        };
        f.level(level);
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
        return result;
    }

    /** Our SCU, proposing what findscu proposes (Study Root FIND, no extended negotiation). */
    private List<Attributes> ours(Peer peer, String level, Map<String, String> keys) throws Exception {
        DicomPeer target = switch (peer) {
            case DCMQRSCP -> new DicomPeer(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle(), CALLING_AE, false);
            case ORTHANC -> new DicomPeer(orthanc.host(), orthanc.dicomPort(), orthanc.aeTitle(), CALLING_AE, false);
        };
        Attributes identifier = new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
        keys.forEach((k, v) -> {
            int tag = ElementDictionary.standard().tagOf(k);
            VR vr = ElementDictionary.standard().vrOf(tag);
            if (v.isEmpty()) {
                identifier.setNull(tag, vr);
            } else {
                identifier.setString(tag, vr, v);
            }
        });
        AssociationRequest request = new AssociationRequest(
                target.calledAeTitle(),
                target.callingAeTitle(),
                List.of(SopClasses.STUDY_ROOT_QUERY_FIND),
                List.of(),
                List.of(),
                null);
        Association as = client.connect(target, request).get(FIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            FindResult result =
                    CFindScu.findAll(as, FindQuery.studyRoot(identifier)).get(FIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(result.status()).as(result.outcome().toString()).isEqualTo(Status.SUCCESS);
            return result.matches();
        } finally {
            as.release().get(FIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void assertSameAnswers(Peer peer, String level, Map<String, String> keys, int expectedMatches)
            throws Exception {
        Findscu.Result theirs = findscu(peer, level, keys);
        List<Attributes> ours = ours(peer, level, keys);

        assertThat(theirs.responses()).as("findscu %s %s", level, keys).hasSize(expectedMatches);
        assertThat(ours).as("ours %s %s", level, keys).containsExactlyInAnyOrderElementsOf(theirs.responses());
    }

    private Set<String> studyUids() {
        Set<String> uids = new LinkedHashSet<>();
        loaded.forEach(a -> uids.add(a.getString(Tag.STUDY_INSTANCE_UID)));
        return uids;
    }

    /** Series UID to study UID, for every series loaded. */
    private Map<String, String> seriesToStudy() {
        Map<String, String> series = new LinkedHashMap<>();
        loaded.forEach(
                a -> series.putIfAbsent(a.getString(Tag.SERIES_INSTANCE_UID), a.getString(Tag.STUDY_INSTANCE_UID)));
        return series;
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void studyLevelWithReturnKeysOnlyGivesFindscusAnswers(Peer peer) throws Exception {
        assertSameAnswers(
                peer,
                "STUDY",
                keys(
                        "StudyInstanceUID", "",
                        "PatientName", "",
                        "PatientID", "",
                        "PatientBirthDate", "",
                        "PatientSex", "",
                        "StudyDate", "",
                        "StudyTime", "",
                        "AccessionNumber", "",
                        "StudyID", "",
                        "StudyDescription", "",
                        "ReferringPhysicianName", "",
                        "ModalitiesInStudy", "",
                        "NumberOfStudyRelatedSeries", "",
                        "NumberOfStudyRelatedInstances", ""),
                STUDIES_LOADED);
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void studyLevelWithAWildcardAndADateRangeGivesFindscusAnswers(Peer peer) throws Exception {
        // matches CT_small (2004-01-19) and MR_small (2004-08-26), whatever the generated studies hold
        assertSameAnswers(
                peer,
                "STUDY",
                keys(
                        "PatientName", "CompressedSamples*",
                        "StudyDate", "20040101-20041231",
                        "StudyInstanceUID", "",
                        "PatientID", "",
                        "StudyDescription", ""),
                2);
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void seriesLevelWithinEveryStudyGivesFindscusAnswers(Peer peer) throws Exception {
        Map<String, String> seriesToStudy = seriesToStudy();
        for (String study : studyUids()) {
            long series = seriesToStudy.values().stream().filter(study::equals).count();
            assertSameAnswers(
                    peer,
                    "SERIES",
                    keys(
                            "StudyInstanceUID", study,
                            "SeriesInstanceUID", "",
                            "Modality", "",
                            "SeriesNumber", "",
                            "SeriesDescription", "",
                            "BodyPartExamined", "",
                            "NumberOfSeriesRelatedInstances", ""),
                    (int) series);
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void imageLevelWithinEverySeriesGivesFindscusAnswers(Peer peer) throws Exception {
        for (Map.Entry<String, String> series : seriesToStudy().entrySet()) {
            long images = loaded.stream()
                    .filter(a -> series.getKey().equals(a.getString(Tag.SERIES_INSTANCE_UID)))
                    .count();
            assertSameAnswers(
                    peer,
                    "IMAGE",
                    keys(
                            "StudyInstanceUID", series.getValue(),
                            "SeriesInstanceUID", series.getKey(),
                            "SOPInstanceUID", "",
                            "SOPClassUID", "",
                            "InstanceNumber", "",
                            "Rows", "",
                            "Columns", ""),
                    (int) images);
        }
    }
}
