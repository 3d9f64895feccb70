package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.FLEET;
import static io.dicomspanner.simulator.find.SmallFleet.drain;
import static io.dicomspanner.simulator.find.SmallFleet.engine;
import static io.dicomspanner.simulator.find.SmallFleet.firstReplica;
import static io.dicomspanner.simulator.find.SmallFleet.firstStudy;
import static io.dicomspanner.simulator.find.SmallFleet.plain;
import static io.dicomspanner.simulator.find.SmallFleet.view;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.SeriesRecord;
import io.dicomspanner.simulator.data.StudyCopy;
import io.dicomspanner.simulator.data.StudyRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudyRootFindTest {
    private static final int SOP_CLASS_UID = Tag.SOP_CLASS_UID;
    private static final int ROWS = 0x00280010;
    private static final int NUMBER_OF_FRAMES = 0x00280008;

    @Test
    void studyLevelByPatientIdReturnsEachStudyThisPacsHoldsForThatIdWithTheCountsOfItsOwnCopy() {
        StudyCopy partial = firstReplica(c -> !c.isComplete() && !c.isConflicting());
        String patientId = partial.patientId();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);

        FindResponses responses = engine(partial.pacs()).find(InformationModel.STUDY_ROOT, query);
        List<Attributes> answers = drain(responses);

        List<Attributes> expected = new ArrayList<>();
        for (PacsPatient p : view(partial.pacs()).patientsWithId(patientId)) {
            for (StudyCopy c : p.studies()) {
                expected.add(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setString(
                                Tag.RETRIEVE_AE_TITLE,
                                VR.AE,
                                plain(partial.pacs()).aeTitle())
                        .setString(
                                Tag.MODALITIES_IN_STUDY,
                                VR.CS,
                                c.modalitiesInStudy().toArray(new String[0]))
                        .setString(Tag.PATIENT_ID, VR.LO, patientId)
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, c.study().studyInstanceUid())
                        .setInt(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, c.numberOfSeries())
                        .setInt(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, c.numberOfInstances()));
            }
        }
        assertThat(answers).containsExactlyElementsOf(expected);
        assertThat(responses.pendingStatus()).isEqualTo(Status.PENDING);
        assertThat(responses.finalStatus()).isEqualTo(FindStatus.success());

        Attributes partialAnswer = answers.stream()
                .filter(a -> a.getString(Tag.STUDY_INSTANCE_UID)
                        .equals(partial.study().studyInstanceUid()))
                .findFirst()
                .orElseThrow();
        assertThat(partialAnswer.getInt(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, -1))
                .isEqualTo(partial.numberOfInstances())
                .isLessThan(partial.study().numberOfInstances());
        Attributes fromPrimary =
                drain(engine(partial.study().copies().get(0).pacs()).find(InformationModel.STUDY_ROOT, query)).stream()
                        .filter(a -> a.getString(Tag.STUDY_INSTANCE_UID)
                                .equals(partial.study().studyInstanceUid()))
                        .findFirst()
                        .orElseThrow();
        assertThat(fromPrimary.getInt(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, -1))
                .isEqualTo(partial.study().numberOfInstances());
    }

    @Test
    void seriesLevelWithinAStudyReturnsOnlyTheSeriesThisCopyHolds() {
        StudyCopy partial =
                firstReplica(c -> c.numberOfSeries() < c.study().series().size());
        String studyUid = partial.study().studyInstanceUid();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setNull(Tag.MODALITY, VR.CS)
                .setNull(Tag.SERIES_NUMBER, VR.IS)
                .setNull(Tag.SERIES_DESCRIPTION, VR.LO)
                .setNull(Tag.NUMBER_OF_SERIES_RELATED_INSTANCES, VR.IS);

        List<Attributes> answers = drain(engine(partial.pacs()).find(InformationModel.STUDY_ROOT, query));

        List<Attributes> expected = new ArrayList<>();
        for (SeriesRecord s : partial.series()) {
            expected.add(new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                    .setString(
                            Tag.RETRIEVE_AE_TITLE, VR.AE, plain(partial.pacs()).aeTitle())
                    .setString(Tag.MODALITY, VR.CS, s.modality())
                    .setString(Tag.SERIES_DESCRIPTION, VR.LO, s.seriesDescription())
                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid)
                    .setString(Tag.SERIES_INSTANCE_UID, VR.UI, s.seriesInstanceUid())
                    .setInt(Tag.SERIES_NUMBER, VR.IS, s.seriesNumber())
                    .setInt(Tag.NUMBER_OF_SERIES_RELATED_INSTANCES, VR.IS, partial.numberOfInstances(s)));
        }
        assertThat(answers)
                .containsExactlyElementsOf(expected)
                .hasSizeLessThan(partial.study().series().size());
    }

    @Test
    void imageLevelWithinASeriesReturnsTheImagesThisCopyHoldsWithTheirImageAttributes() {
        StudyCopy partial = firstReplica(c -> c.series().stream()
                .anyMatch(s -> c.numberOfInstances(s) > 1 && c.numberOfInstances(s) < s.numberOfInstances()));
        SeriesRecord cut = partial.series().stream()
                .filter(s -> partial.numberOfInstances(s) < s.numberOfInstances())
                .findFirst()
                .orElseThrow();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, partial.study().studyInstanceUid())
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, cut.seriesInstanceUid())
                .setNull(Tag.SOP_INSTANCE_UID, VR.UI)
                .setNull(SOP_CLASS_UID, VR.UI)
                .setNull(Tag.INSTANCE_NUMBER, VR.IS)
                .setNull(ROWS, VR.US)
                .setNull(NUMBER_OF_FRAMES, VR.IS);

        List<Attributes> answers = drain(engine(partial.pacs()).find(InformationModel.STUDY_ROOT, query));

        List<Attributes> expected = new ArrayList<>();
        for (int n = 1; n <= partial.numberOfInstances(cut); n++) {
            Attributes image = new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                    .setString(
                            Tag.RETRIEVE_AE_TITLE, VR.AE, plain(partial.pacs()).aeTitle())
                    .setString(Tag.SOP_CLASS_UID, VR.UI, cut.sopClassUid())
                    .setString(Tag.SOP_INSTANCE_UID, VR.UI, cut.sopInstanceUid(n))
                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, partial.study().studyInstanceUid())
                    .setString(Tag.SERIES_INSTANCE_UID, VR.UI, cut.seriesInstanceUid())
                    .setInt(Tag.INSTANCE_NUMBER, VR.IS, n)
                    .setInt(ROWS, VR.US, cut.kind().rows());
            if (cut.kind().isMultiFrame()) {
                image.setInt(NUMBER_OF_FRAMES, VR.IS, cut.numberOfFrames());
            } else {
                image.setNull(NUMBER_OF_FRAMES, VR.IS);
            }
            expected.add(image);
        }
        assertThat(answers).containsExactlyElementsOf(expected).hasSizeLessThan(cut.numberOfInstances());
        assertThat(answers.get(0).vrOf(ROWS)).isEqualTo(VR.US);
    }

    @Test
    void aWildcardPatientNameFindsLatinAndIdeographicNamesAndTheAnswerIsInUtf8() {
        int pacs = pacsHoldingMuellersAndYamadas();
        List<String> muellerStudies = studiesOfPatientsNamed(pacs, "Müller^");
        List<String> yamadaStudies = studiesOfPatientsNamed(pacs, "Yamada^");
        assertThat(muellerStudies).isNotEmpty();
        assertThat(yamadaStudies).isNotEmpty();

        List<Attributes> muellers = drain(engine(pacs).find(InformationModel.STUDY_ROOT, byName("Müller*")));
        List<Attributes> yamadas = drain(engine(pacs).find(InformationModel.STUDY_ROOT, byName("山田*")));

        assertThat(muellers)
                .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyElementsOf(muellerStudies);
        assertThat(yamadas)
                .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyElementsOf(yamadaStudies);
        assertThat(muellers).allSatisfy(a -> {
            assertThat(a.getString(Tag.SPECIFIC_CHARACTER_SET)).isEqualTo("ISO_IR 192");
            assertThat(a.getString(Tag.PATIENT_NAME)).startsWith("Müller^");
        });
        assertThat(yamadas)
                .allSatisfy(a -> assertThat(a.getString(Tag.PATIENT_NAME)).matches("Yamada\\^.*=山田\\^.*=やまだ\\^.*"));
    }

    @Test
    void personNamesMatchCaseSensitivelyUnlessThePacsMatchesThemCaseInsensitivelyLikeOrthanc() {
        int pacs = 0;
        List<String> muellerStudies = studiesOfPatientsNamed(pacs, "Müller^");

        List<Attributes> caseSensitive = drain(engine(pacs).find(InformationModel.STUDY_ROOT, byName("müller*")));
        List<Attributes> caseInsensitive = drain(engine(pacs, plain(pacs).withCaseInsensitivePersonName(true))
                .find(InformationModel.STUDY_ROOT, byName("müller*")));

        assertThat(caseSensitive).isEmpty();
        assertThat(caseInsensitive)
                .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyElementsOf(muellerStudies);
    }

    @Test
    void aStudyDateRangeReturnsTheStudiesOfThoseDaysAndNeverAnUndatedStudy() {
        StudyRecord undated = firstStudy(s -> !s.isDated());
        int pacs = undated.copies().get(0).pacs();

        assertThat(studyUids(pacs, "20150101-20191231"))
                .containsExactlyElementsOf(datedBetween(pacs, "20150101", "20191231"));
        assertThat(studyUids(pacs, "-20121231")).containsExactlyElementsOf(datedBetween(pacs, "00000000", "20121231"));
        assertThat(studyUids(pacs, "20250101-")).containsExactlyElementsOf(datedBetween(pacs, "20250101", "99999999"));
        assertThat(studyUids(pacs, "19000101-20991231"))
                .doesNotContain(undated.studyInstanceUid())
                .hasSize(view(pacs).studies().size()
                        - (int) view(pacs).studies().stream()
                                .filter(c -> !c.study().isDated())
                                .count());
        String day = firstStudy(StudyRecord::isDated).studyDate();
        assertThat(drain(engine(pacs).find(InformationModel.STUDY_ROOT, byDate(day))))
                .allSatisfy(a -> assertThat(a.getString(Tag.STUDY_DATE)).isEqualTo(day));
    }

    @Test
    void anUndatedStudyComesBackWithAnEmptyStudyDateWhenTheDateIsOnlyAReturnKey() {
        StudyRecord undated = firstStudy(s -> !s.isDated());
        int pacs = undated.copies().get(0).pacs();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.STUDY_TIME, VR.TM)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, undated.studyInstanceUid());

        List<Attributes> answers = drain(engine(pacs).find(InformationModel.STUDY_ROOT, query));

        assertThat(answers)
                .containsExactly(new Attributes()
                        .setString(Tag.STUDY_DATE, VR.DA)
                        .setString(Tag.STUDY_TIME, VR.TM)
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, plain(pacs).aeTitle())
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, undated.studyInstanceUid()));
        assertThat(answers.get(0).contains(Tag.STUDY_DATE)).isTrue();
        assertThat(answers.get(0).isEmptyValue(Tag.STUDY_DATE)).isTrue();
    }

    @Test
    void aListOfStudyUidsReturnsTheStudiesThisPacsHoldsInTheOrderOfTheList() {
        StudyCopy replica = firstReplica(c -> true);
        int pacs = replica.pacs();
        StudyRecord elsewhere = firstStudy(s -> s.copyOn(pacs) == null);
        StudyCopy older = view(pacs).studies().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(
                        Tag.STUDY_INSTANCE_UID,
                        VR.UI,
                        replica.study().studyInstanceUid(),
                        elsewhere.studyInstanceUid(),
                        older.study().studyInstanceUid(),
                        replica.study().studyInstanceUid());

        assertThat(drain(engine(pacs).find(InformationModel.STUDY_ROOT, query)))
                .extracting(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactly(
                        replica.study().studyInstanceUid(), older.study().studyInstanceUid());
    }

    @Test
    void aConflictingCopyIsAnsweredUnderItsTemporaryPatientIdAndTheOthersUnderThePatientsOwn() {
        StudyCopy conflicting = firstReplica(StudyCopy::isConflicting);
        StudyCopy primary = conflicting.study().copies().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, conflicting.study().studyInstanceUid())
                .setNull(Tag.PATIENT_ID, VR.LO);

        Attributes there = drain(engine(conflicting.pacs()).find(InformationModel.STUDY_ROOT, query))
                .get(0);
        Attributes home = drain(engine(primary.pacs()).find(InformationModel.STUDY_ROOT, query))
                .get(0);

        assertThat(there.getString(Tag.PATIENT_ID))
                .isEqualTo(conflicting.patientId())
                .startsWith("TMP");
        assertThat(home.getString(Tag.PATIENT_ID))
                .isEqualTo(conflicting.study().patient().patientId());
    }

    private static Attributes byName(String patientName) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, patientName)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    private static Attributes byDate(String studyDate) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, studyDate)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    private static List<String> studyUids(int pacs, String studyDate) {
        return drain(engine(pacs).find(InformationModel.STUDY_ROOT, byDate(studyDate))).stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID))
                .toList();
    }

    /** The UIDs of the dated copies PACS {@code pacs} holds from one day to another, oldest first. */
    private static List<String> datedBetween(int pacs, String first, String last) {
        return view(pacs).studies().stream()
                .filter(c -> c.study().isDated()
                        && c.study().studyDate().compareTo(first) >= 0
                        && c.study().studyDate().compareTo(last) <= 0)
                .map(c -> c.study().studyInstanceUid())
                .toList();
    }

    /** The UIDs of the copies PACS {@code pacs} holds for patients whose name starts so, oldest first. */
    private static List<String> studiesOfPatientsNamed(int pacs, String prefix) {
        return view(pacs).studies().stream()
                .filter(c -> c.holder().patientName().startsWith(prefix))
                .map(c -> c.study().studyInstanceUid())
                .toList();
    }

    private static int pacsHoldingMuellersAndYamadas() {
        for (int pacs = 0; pacs < FLEET.pacsCount(); pacs++) {
            if (!studiesOfPatientsNamed(pacs, "Müller^").isEmpty()
                    && !studiesOfPatientsNamed(pacs, "Yamada^").isEmpty()) {
                return pacs;
            }
        }
        throw new IllegalStateException("no PACS of the small fleet holds both a Müller and a Yamada");
    }
}
