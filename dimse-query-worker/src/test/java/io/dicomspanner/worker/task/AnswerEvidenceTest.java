package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.capability.KeyLearningProperties;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which keys of a task's answer are counted as evidence, and how each record counts. */
class AnswerEvidenceTest {

    static final Set<String> DEFAULT_KEYS = new KeyLearningProperties(
                    true,
                    List.of(
                            "ModalitiesInStudy",
                            "BodyPartExamined",
                            "InstitutionName",
                            "StudyDescription",
                            "SeriesDescription",
                            "IssuerOfPatientID",
                            "ReferringPhysicianName",
                            "PatientSex",
                            "PatientBirthDate",
                            "StudyID"),
                    20)
            .learnable();

    static SourceEndpoint source(boolean relational, String... unmatchedKeys) {
        return new SourceEndpoint(
                1L,
                "pacs",
                "PACS",
                "127.0.0.1",
                104,
                "SPANNER",
                false,
                4,
                30,
                List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                relational,
                List.of(unmatchedKeys));
    }

    static List<String> counted(AnswerEvidence evidence) {
        return evidence.keys().stream().map(AnswerEvidence.KeyCounts::keyword).toList();
    }

    @Test
    void theNarrowingKeysAreNeverLearnedWhateverIsConfigured() {
        KeyLearningProperties properties = new KeyLearningProperties(
                true, List.of("PatientID", "StudyDescription", "PatientName", "AccessionNumber", "StudyDate"), 20);

        assertThat(properties.learnable()).containsExactly("StudyDescription");
    }

    @Test
    void onlyFilteringKeysOfTheTaskLevelNotKnownToBeIgnoredAreCounted() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                .setString(Tag.PATIENT_SEX, VR.CS, "F")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "CHEST*")
                .setString(Tag.STUDY_ID, VR.SH, "*")
                .setNull(Tag.PATIENT_BIRTH_DATE, VR.DA)
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "AXIAL")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        AnswerEvidence evidence =
                AnswerEvidence.of(source(true, "ModalitiesInStudy"), QueryLevel.STUDY, identifier, DEFAULT_KEYS);

        // PatientName is never learned, "*" and an empty key do not filter, ModalitiesInStudy is verified already,
        // SeriesDescription is not sent in a study query
        assertThat(counted(evidence)).containsExactly("StudyDescription", "PatientSex");
    }

    @Test
    void anUpperLevelKeyOfALevelByLevelSearchIsNotCounted() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "CHEST")
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "AXIAL")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        assertThat(counted(AnswerEvidence.of(source(false), QueryLevel.SERIES, identifier, DEFAULT_KEYS)))
                .containsExactly("SeriesDescription");
        assertThat(counted(AnswerEvidence.of(source(true), QueryLevel.SERIES, identifier, DEFAULT_KEYS)))
                .containsExactly("StudyDescription", "SeriesDescription");
    }

    @Test
    void eachRecordCountsAsMatchingWithoutValueOrDisprovingAndPersonNamesIgnoreCase() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "WHO^DOCTOR")
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19700101-19791231");
        AnswerEvidence evidence = AnswerEvidence.of(
                source(true),
                QueryLevel.STUDY,
                identifier,
                new LinkedHashSet<>(List.of("ReferringPhysicianName", "PatientBirthDate")));
        List<Attributes> passed = new ArrayList<>();
        var sink = evidence.counting(passed::add);

        sink.accept(new Attributes()
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "who^doctor")
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19750505"));
        sink.accept(new Attributes()
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "NOBODY")
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19800101"));
        sink.accept(new Attributes().setNull(Tag.PATIENT_BIRTH_DATE, VR.DA));

        assertThat(passed).hasSize(3);
        assertThat(evidence.records()).isEqualTo(3);
        assertThat(evidence.keys())
                .extracting(
                        AnswerEvidence.KeyCounts::keyword,
                        AnswerEvidence.KeyCounts::disproved,
                        AnswerEvidence.KeyCounts::withoutValue)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ReferringPhysicianName", 1, 1),
                        org.assertj.core.groups.Tuple.tuple("PatientBirthDate", 1, 1));
    }
}
