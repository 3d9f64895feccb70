package io.dicomspanner.dicom.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticSeries;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the interop harness itself: dcmqrscp and Orthanc loaded with the same pydicom samples and generated studies
 * answer dcmtk's findscu with exactly what was loaded, and Orthanc's C-FIND SCU gets from dcmqrscp what findscu gets.
 * The tests named after a peer's behaviour pin down the differences the interop README lists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropHarnessTest {

    /** 10 patients (Müller … Иванова: German, Greek, Japanese, Korean, Chinese, French, Cyrillic names). */
    private static final SyntheticStudies STUDIES = SyntheticStudies.generate(13, 10, 2, 2, 2);

    private static final List<Path> SAMPLES = List.of(
            PydicomSamples.testFile("CT_small.dcm"),
            PydicomSamples.testFile("MR_small.dcm"),
            PydicomSamples.ROOT.resolve("charset_files").resolve("chrGerm.dcm"));

    private static final String ORTHANC_NAME_FOR_DCMQRSCP = "dcmqrscp";
    private static final int ROWS = 0x00280010;

    enum Peer {
        DCMQRSCP,
        ORTHANC
    }

    private final List<Attributes> loaded = new ArrayList<>();
    private DcmqrscpPeer dcmqrscp;
    private OrthancPeer orthanc;

    @BeforeAll
    void startPeers() throws IOException, InterruptedException {
        for (Path sample : SAMPLES) {
            loaded.add(DicomFile.read(sample).dataset());
        }
        STUDIES.instances().forEach(i -> loaded.add(i.dataset()));
        dcmqrscp = DcmqrscpPeer.builder().files(SAMPLES).studies(STUDIES).start();
        orthanc = OrthancPeer.builder()
                .modality(ORTHANC_NAME_FOR_DCMQRSCP, dcmqrscp.aeTitle(), dcmqrscp.host(), dcmqrscp.port())
                .start();
        orthanc.upload(SAMPLES);
        orthanc.upload(STUDIES);
    }

    @AfterAll
    void stopPeers() throws IOException {
        try {
            if (orthanc != null) {
                orthanc.close();
            }
        } finally {
            if (dcmqrscp != null) {
                dcmqrscp.close();
            }
        }
    }

    private Findscu findscu(Peer peer) {
        return switch (peer) {
            case DCMQRSCP -> Findscu.to(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle());
            case ORTHANC -> Findscu.to(orthanc.host(), orthanc.dicomPort(), orthanc.aeTitle());
        };
    }

    // ---- what was loaded, as the rows a C-FIND at each level should return

    record StudyRow(String studyUid, String patientName, String patientId, String studyDate, String accession) {
        static StudyRow of(Attributes a) {
            return new StudyRow(
                    a.getString(Tag.STUDY_INSTANCE_UID),
                    a.getString(Tag.PATIENT_NAME),
                    a.getString(Tag.PATIENT_ID),
                    a.getString(Tag.STUDY_DATE),
                    a.getString(Tag.ACCESSION_NUMBER));
        }
    }

    record SeriesRow(String studyUid, String seriesUid, String modality, String seriesNumber) {
        static SeriesRow of(Attributes a) {
            return new SeriesRow(
                    a.getString(Tag.STUDY_INSTANCE_UID),
                    a.getString(Tag.SERIES_INSTANCE_UID),
                    a.getString(Tag.MODALITY),
                    a.getString(Tag.SERIES_NUMBER));
        }
    }

    record ImageRow(String seriesUid, String sopInstanceUid, String instanceNumber) {
        static ImageRow of(Attributes a) {
            return new ImageRow(
                    a.getString(Tag.SERIES_INSTANCE_UID),
                    a.getString(Tag.SOP_INSTANCE_UID),
                    a.getString(Tag.INSTANCE_NUMBER));
        }
    }

    private List<StudyRow> expectedStudies() {
        Map<String, StudyRow> rows = new LinkedHashMap<>();
        loaded.forEach(a -> rows.putIfAbsent(a.getString(Tag.STUDY_INSTANCE_UID), StudyRow.of(a)));
        return List.copyOf(rows.values());
    }

    private List<SeriesRow> expectedSeries(String studyUid) {
        Map<String, SeriesRow> rows = new LinkedHashMap<>();
        loaded.stream()
                .filter(a -> studyUid.equals(a.getString(Tag.STUDY_INSTANCE_UID)))
                .forEach(a -> rows.putIfAbsent(a.getString(Tag.SERIES_INSTANCE_UID), SeriesRow.of(a)));
        return List.copyOf(rows.values());
    }

    private List<ImageRow> expectedImages(String seriesUid) {
        return loaded.stream()
                .filter(a -> seriesUid.equals(a.getString(Tag.SERIES_INSTANCE_UID)))
                .map(ImageRow::of)
                .toList();
    }

    private Set<String> expectedSeriesUids() {
        Set<String> uids = new TreeSet<>();
        loaded.forEach(a -> uids.add(a.getString(Tag.SERIES_INSTANCE_UID)));
        return uids;
    }

    private static void assertAllPendingThenSuccess(Findscu.Result result) {
        assertThat(result.exitCode()).as(result.log()).isZero();
        assertThat(result.finalStatusText()).isEqualTo("Success");
        assertThat(result.finalStatus()).isEqualTo(0x0000);
        assertThat(result.pendingStatuses()).hasSize(result.responses().size()).containsOnly(0xFF00);
    }

    private Findscu.Result studyLevelFind(Peer peer) throws IOException, InterruptedException {
        return findscu(peer)
                .level("STUDY")
                .key("StudyInstanceUID")
                .key("PatientName")
                .key("PatientID")
                .key("StudyDate")
                .key("AccessionNumber")
                .run();
    }

    // ---- the harness answers what was loaded

    @Test
    void theLoadedDataHoldTwentyThreeStudiesFortyThreeSeriesAndEightyThreeImages() {
        assertThat(expectedStudies()).hasSize(23);
        assertThat(expectedSeriesUids()).hasSize(43);
        assertThat(loaded).hasSize(83);
        assertThat(dcmqrscp.studyInstanceUids())
                .containsExactlyElementsOf(
                        expectedStudies().stream().map(StudyRow::studyUid).toList());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void echoscuGetsSuccessFromThePeer(Peer peer) throws IOException, InterruptedException {
        Echoscu.Result result = switch (peer) {
            case DCMQRSCP ->
                Echoscu.to(dcmqrscp.host(), dcmqrscp.port(), dcmqrscp.aeTitle()).run();
            case ORTHANC ->
                Echoscu.to(orthanc.host(), orthanc.dicomPort(), orthanc.aeTitle())
                        .run();
        };

        assertThat(result.succeeded()).as(result.log()).isTrue();
        assertThat(result.status()).isEqualTo("Success");
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void anAssociationToAnUnknownCalledAeTitleIsRejected(Peer peer) throws IOException, InterruptedException {
        int port = peer == Peer.DCMQRSCP ? dcmqrscp.port() : orthanc.dicomPort();

        Echoscu.Result echo = Echoscu.to("127.0.0.1", port, "NOT_THIS_AE").run();
        Findscu.Result find = Findscu.to("127.0.0.1", port, "NOT_THIS_AE")
                .level("STUDY")
                .key("StudyInstanceUID")
                .run();

        assertThat(echo.exitCode()).isEqualTo(1);
        assertThat(echo.status()).isNull();
        assertThat(echo.log()).contains("Called AE Title Not Recognized");
        assertThat(find.exitCode()).isEqualTo(2);
        assertThat(find.finalStatus()).isEqualTo(Findscu.NO_FINAL_RESPONSE);
        assertThat(find.responses()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void studyLevelFindReturnsEveryLoadedStudyWithItsPatient(Peer peer) throws IOException, InterruptedException {
        Findscu.Result result = studyLevelFind(peer);

        assertAllPendingThenSuccess(result);
        assertThat(result.responses().stream().map(StudyRow::of).toList())
                .containsExactlyInAnyOrderElementsOf(expectedStudies());
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void seriesLevelFindWithinEachStudyReturnsExactlyItsSeries(Peer peer) throws IOException, InterruptedException {
        for (StudyRow study : expectedStudies()) {
            Findscu.Result result = findscu(peer)
                    .level("SERIES")
                    .key("StudyInstanceUID", study.studyUid())
                    .key("SeriesInstanceUID")
                    .key("Modality")
                    .key("SeriesNumber")
                    .run();

            assertAllPendingThenSuccess(result);
            assertThat(result.responses().stream().map(SeriesRow::of).toList())
                    .as("series of %s", study.studyUid())
                    .containsExactlyInAnyOrderElementsOf(expectedSeries(study.studyUid()));
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void imageLevelFindWithinEachSeriesReturnsExactlyItsImages(Peer peer) throws IOException, InterruptedException {
        for (StudyRow study : expectedStudies()) {
            for (SeriesRow series : expectedSeries(study.studyUid())) {
                Findscu.Result result = findscu(peer)
                        .level("IMAGE")
                        .key("StudyInstanceUID", study.studyUid())
                        .key("SeriesInstanceUID", series.seriesUid())
                        .key("SOPInstanceUID")
                        .key("InstanceNumber")
                        .run();

                assertAllPendingThenSuccess(result);
                assertThat(result.responses().stream().map(ImageRow::of).toList())
                        .as("images of %s", series.seriesUid())
                        .containsExactlyInAnyOrderElementsOf(expectedImages(series.seriesUid()));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void patientRootFindReturnsEachPatientOnce(Peer peer) throws IOException, InterruptedException {
        Findscu.Result result = findscu(peer)
                .model(Findscu.Model.PATIENT_ROOT)
                .level("PATIENT")
                .key("PatientID")
                .key("PatientName")
                .run();

        assertAllPendingThenSuccess(result);
        Map<String, String> expected = new LinkedHashMap<>();
        loaded.forEach(a -> expected.put(a.getString(Tag.PATIENT_ID), a.getString(Tag.PATIENT_NAME)));
        Map<String, String> actual = new LinkedHashMap<>();
        result.responses().forEach(a -> actual.put(a.getString(Tag.PATIENT_ID), a.getString(Tag.PATIENT_NAME)));
        assertThat(result.responses()).hasSize(13);
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void aUtf8NameInAQueryFileMatchesTheTwoStudiesOfThatPatient(Peer peer) throws IOException, InterruptedException {
        Attributes identifier = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.PATIENT_NAME, VR.PN, "Müller*")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        Findscu.Result result =
                findscu(peer).identifier(identifier).level("STUDY").run();

        assertAllPendingThenSuccess(result);
        assertThat(result.responses().stream()
                        .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(STUDIES.patients().get(0).studies().stream()
                        .map(SyntheticStudy::studyInstanceUid)
                        .toList());
        assertThat(result.responses()).allSatisfy(a -> {
            assertThat(a.getString(Tag.PATIENT_NAME)).isEqualTo("Müller^Jürgen");
            assertThat(a.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
        });
    }

    // ---- differences between the peers that comparisons must normalise (see interop/README.md)

    @Test
    void dcmqrscpMatchesPatientNamesCaseSensitivelyAndOrthancDoesNot() throws IOException, InterruptedException {
        Attributes identifier = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.PATIENT_NAME, VR.PN, "müller*")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        Findscu.Result fromDcmqrscp =
                findscu(Peer.DCMQRSCP).identifier(identifier).level("STUDY").run();
        Findscu.Result fromOrthanc =
                findscu(Peer.ORTHANC).identifier(identifier).level("STUDY").run();

        assertThat(fromDcmqrscp.succeeded()).isTrue();
        assertThat(fromDcmqrscp.responses()).isEmpty();
        assertThat(fromOrthanc.succeeded()).isTrue();
        assertThat(fromOrthanc.responses()).hasSize(2);
    }

    @Test
    void dcmqrscpLeavesOutReturnKeysItDoesNotIndexWhereOrthancComputesThem() throws IOException, InterruptedException {
        SyntheticStudy pet = STUDIES.studies().stream()
                .filter(s -> s.modalitiesInStudy().contains("PT"))
                .findFirst()
                .orElseThrow();

        List<Attributes> answers = new ArrayList<>();
        for (Peer peer : Peer.values()) {
            Findscu.Result result = findscu(peer)
                    .level("STUDY")
                    .key("StudyInstanceUID", pet.studyInstanceUid())
                    .key("ModalitiesInStudy")
                    .key("NumberOfStudyRelatedSeries")
                    .key("NumberOfStudyRelatedInstances")
                    .key("StudyDescription")
                    .run();
            assertThat(result.responses()).hasSize(1);
            answers.add(result.responses().get(0));
        }
        Attributes fromDcmqrscp = answers.get(0);
        Attributes fromOrthanc = answers.get(1);

        assertThat(fromDcmqrscp.contains(Tag.MODALITIES_IN_STUDY)).isFalse();
        assertThat(fromDcmqrscp.contains(Tag.NUMBER_OF_STUDY_RELATED_SERIES)).isFalse();
        assertThat(fromDcmqrscp.contains(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES)).isFalse();
        assertThat(fromDcmqrscp.getString(Tag.STUDY_DESCRIPTION)).isEqualTo(pet.studyDescription());
        assertThat(fromOrthanc.getStrings(Tag.MODALITIES_IN_STUDY))
                .containsExactlyInAnyOrderElementsOf(pet.modalitiesInStudy());
        assertThat(fromOrthanc.getString(Tag.NUMBER_OF_STUDY_RELATED_SERIES)).isEqualTo("2");
        assertThat(fromOrthanc.getString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES)).isEqualTo("4");
        assertThat(fromOrthanc.getString(Tag.STUDY_DESCRIPTION)).isEqualTo(pet.studyDescription());
    }

    @Test
    void dcmqrscpLeavesOutSeriesDescriptionSopClassAndRowsWhereOrthancReturnsThem()
            throws IOException, InterruptedException {
        SyntheticSeries series =
                STUDIES.patients().get(0).studies().get(0).series().get(0);
        SyntheticInstance image = series.instances().get(0);
        String studyUid = STUDIES.patients().get(0).studies().get(0).studyInstanceUid();

        List<Attributes> seriesAnswers = new ArrayList<>();
        List<Attributes> imageAnswers = new ArrayList<>();
        for (Peer peer : Peer.values()) {
            seriesAnswers.add(findscu(peer)
                    .level("SERIES")
                    .key("StudyInstanceUID", studyUid)
                    .key("SeriesInstanceUID", series.seriesInstanceUid())
                    .key("SeriesDescription")
                    .run()
                    .responses()
                    .get(0));
            imageAnswers.add(findscu(peer)
                    .level("IMAGE")
                    .key("StudyInstanceUID", studyUid)
                    .key("SeriesInstanceUID", series.seriesInstanceUid())
                    .key("SOPInstanceUID", image.sopInstanceUid())
                    .key("SOPClassUID")
                    .key("Rows")
                    .run()
                    .responses()
                    .get(0));
        }

        assertThat(seriesAnswers.get(0).contains(Tag.SERIES_DESCRIPTION)).isFalse();
        assertThat(imageAnswers.get(0).contains(Tag.SOP_CLASS_UID)).isFalse();
        assertThat(imageAnswers.get(0).contains(ROWS)).isFalse();
        assertThat(seriesAnswers.get(1).getString(Tag.SERIES_DESCRIPTION)).isEqualTo(series.seriesDescription());
        assertThat(imageAnswers.get(1).getString(Tag.SOP_CLASS_UID)).isEqualTo(image.sopClassUid());
        assertThat(imageAnswers.get(1).vrOf(ROWS)).isEqualTo(VR.US);
        assertThat(imageAnswers.get(1).getInt(ROWS, -1))
                .isEqualTo(image.dataset().getInt(ROWS, -2));
    }

    @Test
    void dcmqrscpPassesIso2022JapaneseOnUnconvertedAndOrthancAsScuThenRejectsTheWholeQuery()
            throws IOException, InterruptedException {
        Path japanese = PydicomSamples.ROOT.resolve("charset_files").resolve("chrH31.dcm");
        Attributes file = DicomFile.read(japanese).dataset();
        try (DcmqrscpPeer japaneseArchive = DcmqrscpPeer.builder()
                .aeTitle("JP_ARCHIVE")
                .files(List.of(japanese))
                .start()) {
            Findscu.Result result = Findscu.to(japaneseArchive.host(), japaneseArchive.port(), "JP_ARCHIVE")
                    .level("STUDY")
                    .key("StudyInstanceUID")
                    .key("PatientName")
                    .run();
            orthanc.putModality("jp", "JP_ARCHIVE", japaneseArchive.host(), japaneseArchive.port());

            assertAllPendingThenSuccess(result);
            Attributes answer = result.responses().get(0);
            assertThat(answer.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("", "ISO 2022 IR 87");
            assertThat(answer.getBytes(Tag.PATIENT_NAME)).isEqualTo(file.getBytes(Tag.PATIENT_NAME));
            assertThatThrownBy(() -> orthanc.queryModality("jp", "STUDY", Map.of("StudyInstanceUID", "")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("answered 400")
                    .hasMessageContaining("Unsupported value for the SpecificCharacterSet");
        }
    }

    @ParameterizedTest
    @EnumSource(Peer.class)
    void everyAnswerNamesTheRetrieveAeTitleThoughTheRequestDidNotAskForIt(Peer peer)
            throws IOException, InterruptedException {
        Findscu.Result result = studyLevelFind(peer);
        String ae = peer == Peer.DCMQRSCP ? dcmqrscp.aeTitle() : orthanc.aeTitle();

        assertThat(result.responses())
                .allSatisfy(a -> assertThat(a.getString(Tag.RETRIEVE_AE_TITLE)).isEqualTo(ae));
    }

    @Test
    void dcmqrscpRefusesASeriesLevelFindWithoutStudyUidAndOrthancAnswersIt() throws IOException, InterruptedException {
        Findscu.Result fromDcmqrscp =
                findscu(Peer.DCMQRSCP).level("SERIES").key("SeriesInstanceUID").run();
        Findscu.Result fromOrthanc =
                findscu(Peer.ORTHANC).level("SERIES").key("SeriesInstanceUID").run();

        assertThat(fromDcmqrscp.exitCode()).isZero();
        assertThat(fromDcmqrscp.finalStatusText()).isEqualTo("Failed: UnableToProcess");
        assertThat(fromDcmqrscp.finalStatus()).isEqualTo(0xC000);
        assertThat(fromDcmqrscp.responses()).isEmpty();
        assertAllPendingThenSuccess(fromOrthanc);
        assertThat(fromOrthanc.responses().stream()
                        .map(a -> a.getString(Tag.SERIES_INSTANCE_UID))
                        .toList())
                .containsExactlyInAnyOrderElementsOf(expectedSeriesUids());
        assertThat(fromOrthanc.responses())
                .allSatisfy(a -> assertThat(a.contains(Tag.STUDY_INSTANCE_UID)).isFalse());
    }

    @Test
    void dcmqrscpAnswersInAsciiWhereItCanAndInUtf8OtherwiseWhileOrthancAlwaysUsesUtf8()
            throws IOException, InterruptedException {
        Map<String, List<String>> dcmqrscpCharsets = charsetsByPatientName(studyLevelFind(Peer.DCMQRSCP));
        Map<String, List<String>> orthancCharsets = charsetsByPatientName(studyLevelFind(Peer.ORTHANC));

        assertThat(dcmqrscpCharsets.get("CompressedSamples^CT1")).isEmpty(); // ISO_IR 100 in the file
        assertThat(dcmqrscpCharsets.get("CompressedSamples^MR1")).isEmpty(); // no charset in the file
        assertThat(dcmqrscpCharsets.get("Äneas^Rüdiger")).containsExactly("ISO_IR 192"); // ISO_IR 100 in the file
        assertThat(dcmqrscpCharsets.get("Παπαδοπούλου^Ελένη")).containsExactly("ISO_IR 192");
        assertThat(dcmqrscpCharsets.get("Garcia^Maria^Elena")).isEmpty();
        assertThat(orthancCharsets.values())
                .hasSize(13)
                .allSatisfy(cs -> assertThat(cs).containsExactly("ISO_IR 192"));
    }

    @Test
    void dcmqrscpAnswersAUtf8RequestInUtf8WheneverTheStoredFileDeclaredACharacterSet()
            throws IOException, InterruptedException {
        Attributes identifier = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        Map<String, List<String>> charsets = charsetsByPatientName(
                findscu(Peer.DCMQRSCP).identifier(identifier).level("STUDY").run());

        assertThat(charsets.get("CompressedSamples^CT1")).containsExactly("ISO_IR 192"); // ISO_IR 100 in the file
        assertThat(charsets.get("CompressedSamples^MR1")).isEmpty(); // no charset in the file
        assertThat(charsets.get("Äneas^Rüdiger")).containsExactly("ISO_IR 192");
    }

    private static Map<String, List<String>> charsetsByPatientName(Findscu.Result result) {
        Map<String, List<String>> charsets = new LinkedHashMap<>();
        result.responses()
                .forEach(a ->
                        charsets.put(a.getString(Tag.PATIENT_NAME), List.of(a.getStrings(Tag.SPECIFIC_CHARACTER_SET))));
        return charsets;
    }

    // ---- Orthanc as C-FIND SCU

    @Test
    void orthancAsScuGetsTheSameStudiesFromDcmqrscpAsFindscu() throws IOException, InterruptedException {
        List<StudyRow> viaFindscu = studyLevelFind(Peer.DCMQRSCP).responses().stream()
                .map(StudyRow::of)
                .toList();

        List<Attributes> viaOrthanc = orthanc.queryModality(
                ORTHANC_NAME_FOR_DCMQRSCP,
                "STUDY",
                Map.of("StudyInstanceUID", "", "PatientName", "", "PatientID", "", "StudyDate", ""));

        assertThat(viaOrthanc.stream().map(StudyRow::of).toList()).containsExactlyInAnyOrderElementsOf(viaFindscu);
        assertThat(viaFindscu).containsExactlyInAnyOrderElementsOf(expectedStudies());
    }

    @Test
    void orthancAsScuAddsAccessionNumberAndUtf8ToAStudyLevelRequest() throws IOException, InterruptedException {
        List<Attributes> viaOrthanc =
                orthanc.queryModality(ORTHANC_NAME_FOR_DCMQRSCP, "STUDY", Map.of("StudyInstanceUID", ""));
        List<Attributes> viaFindscu = findscu(Peer.DCMQRSCP)
                .level("STUDY")
                .key("StudyInstanceUID")
                .run()
                .responses();

        assertThat(viaFindscu).hasSize(23).allSatisfy(a -> {
            assertThat(a.contains(Tag.ACCESSION_NUMBER)).isFalse();
            assertThat(a.contains(Tag.PATIENT_ID)).isFalse();
        });
        assertThat(viaOrthanc).hasSize(23).allSatisfy(a -> {
            assertThat(a.contains(Tag.ACCESSION_NUMBER)).isTrue();
            assertThat(a.contains(Tag.PATIENT_ID)).isTrue();
            assertThat(a.getStrings(Tag.SPECIFIC_CHARACTER_SET)).containsExactly("ISO_IR 192");
        });
    }

    @Test
    void orthancAsScuAnswersAtImageLevelCarryTheSopInstanceUidAlsoAsMediaStorageSopInstanceUid()
            throws IOException, InterruptedException {
        SyntheticStudy study = STUDIES.studies().get(3);
        SyntheticSeries series = study.series().get(1);

        List<Attributes> viaOrthanc = orthanc.queryModality(
                ORTHANC_NAME_FOR_DCMQRSCP,
                "IMAGE",
                Map.of(
                        "StudyInstanceUID",
                        study.studyInstanceUid(),
                        "SeriesInstanceUID",
                        series.seriesInstanceUid(),
                        "InstanceNumber",
                        ""));

        assertThat(viaOrthanc.stream().map(ImageRow::of).toList())
                .containsExactlyInAnyOrderElementsOf(expectedImages(series.seriesInstanceUid()));
        assertThat(viaOrthanc)
                .allSatisfy(a -> assertThat(a.getString(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID))
                        .isEqualTo(a.getString(Tag.SOP_INSTANCE_UID)));
    }

    @Test
    void orthancAsScuGetsTheSameSeriesFromDcmqrscpAsFindscu() throws IOException, InterruptedException {
        for (StudyRow study : expectedStudies()) {
            List<SeriesRow> viaFindscu = findscu(Peer.DCMQRSCP)
                    .level("SERIES")
                    .key("StudyInstanceUID", study.studyUid())
                    .key("SeriesInstanceUID")
                    .key("Modality")
                    .key("SeriesNumber")
                    .run()
                    .responses()
                    .stream()
                    .map(SeriesRow::of)
                    .toList();

            List<Attributes> viaOrthanc = orthanc.queryModality(
                    ORTHANC_NAME_FOR_DCMQRSCP,
                    "SERIES",
                    Map.of(
                            "StudyInstanceUID",
                            study.studyUid(),
                            "SeriesInstanceUID",
                            "",
                            "Modality",
                            "",
                            "SeriesNumber",
                            ""));

            assertThat(viaOrthanc.stream().map(SeriesRow::of).toList())
                    .as("series of %s", study.studyUid())
                    .containsExactlyInAnyOrderElementsOf(viaFindscu)
                    .containsExactlyInAnyOrderElementsOf(expectedSeries(study.studyUid()));
        }
    }
}
