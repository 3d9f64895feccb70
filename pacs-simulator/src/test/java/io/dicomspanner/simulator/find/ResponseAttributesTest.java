package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.drain;
import static io.dicomspanner.simulator.find.SmallFleet.engine;
import static io.dicomspanner.simulator.find.SmallFleet.firstReplica;
import static io.dicomspanner.simulator.find.SmallFleet.plain;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.config.UnsupportedKeyReturn;
import io.dicomspanner.simulator.data.StudyCopy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResponseAttributesTest {
    private static final int INSTITUTIONAL_DEPARTMENT_NAME = 0x00081040;
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int SERIES_DESCRIPTION = Tag.SERIES_DESCRIPTION;

    @Test
    void requestedAttributesThisCopyLacksOrThePacsDoesNotKnowComeBackPresentAndEmpty() {
        StudyCopy stripped = firstReplica(c -> c.isWithoutDescriptions() && !c.isConflicting());
        Attributes query = studyQuery(stripped)
                .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                .setNull(Tag.REFERRING_PHYSICIAN_NAME, VR.PN)
                .setNull(INSTITUTIONAL_DEPARTMENT_NAME, VR.LO)
                .setNull(PRIVATE_CREATOR, VR.LO)
                .setNull(SERIES_DESCRIPTION, VR.LO);

        FindResponses responses = engine(stripped.pacs()).find(InformationModel.STUDY_ROOT, query);
        List<Attributes> answers = drain(responses);

        assertThat(answers)
                .containsExactly(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setString(
                                Tag.RETRIEVE_AE_TITLE,
                                VR.AE,
                                plain(stripped.pacs()).aeTitle())
                        .setNull(Tag.REFERRING_PHYSICIAN_NAME, VR.PN)
                        .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                        .setNull(SERIES_DESCRIPTION, VR.LO)
                        .setNull(INSTITUTIONAL_DEPARTMENT_NAME, VR.LO)
                        .setNull(PRIVATE_CREATOR, VR.LO)
                        .setString(
                                Tag.STUDY_INSTANCE_UID, VR.UI, stripped.study().studyInstanceUid()));
        assertThat(responses.pendingStatus()).isEqualTo(Status.PENDING);
    }

    @Test
    void aKeyWithAValueForAnAttributeThePacsDoesNotHoldIsIgnoredAndThePendingStatusIsFf01() {
        StudyCopy copy = firstReplica(c -> !c.isConflicting());
        Attributes query = studyQuery(copy).setString(INSTITUTIONAL_DEPARTMENT_NAME, VR.LO, "NO SUCH DEPARTMENT");

        FindResponses responses = engine(copy.pacs()).find(InformationModel.STUDY_ROOT, query);
        List<Attributes> answers = drain(responses);

        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).isEmptyValue(INSTITUTIONAL_DEPARTMENT_NAME)).isTrue();
        assertThat(responses.pendingStatus()).isEqualTo(Status.PENDING_WARNING);
    }

    @Test
    void aPacsThatDoesNotStoreStudyDescriptionIgnoresItsKeyAndReturnsItEmptyForEveryCopy() {
        StudyCopy complete = firstReplica(c -> !c.isWithoutDescriptions() && !c.isConflicting());
        Attributes query = studyQuery(complete).setString(Tag.STUDY_DESCRIPTION, VR.LO, "NOT THE DESCRIPTION*");

        FindResponses stores = engine(complete.pacs()).find(InformationModel.STUDY_ROOT, query);
        FindResponses doesNotStore = engine(
                        complete.pacs(), plain(complete.pacs()).withUnstoredAttributes(Set.of("StudyDescription")))
                .find(InformationModel.STUDY_ROOT, query);

        assertThat(drain(stores)).isEmpty();
        List<Attributes> answers = drain(doesNotStore);
        assertThat(answers).hasSize(1);
        assertThat(answers.get(0).contains(Tag.STUDY_DESCRIPTION)).isTrue();
        assertThat(answers.get(0).isEmptyValue(Tag.STUDY_DESCRIPTION)).isTrue();
        assertThat(doesNotStore.pendingStatus()).isEqualTo(Status.PENDING_WARNING);
    }

    @Test
    void aPacsLikeDcmqrscpLeavesOutTheAttributesItDoesNotHoldButKeepsEmptyOnesItHolds() {
        StudyCopy stripped = firstReplica(c -> c.isWithoutDescriptions() && !c.isConflicting());
        Attributes query = studyQuery(stripped)
                .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                .setNull(INSTITUTIONAL_DEPARTMENT_NAME, VR.LO);

        List<Attributes> answers = drain(
                engine(stripped.pacs(), plain(stripped.pacs()).withUnsupportedKeyReturn(UnsupportedKeyReturn.OMITTED))
                        .find(InformationModel.STUDY_ROOT, query));

        assertThat(answers)
                .containsExactly(new Attributes()
                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                        .setString(
                                Tag.RETRIEVE_AE_TITLE,
                                VR.AE,
                                plain(stripped.pacs()).aeTitle())
                        .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                        .setString(
                                Tag.STUDY_INSTANCE_UID, VR.UI, stripped.study().studyInstanceUid()));
    }

    @Test
    void theAnswerCarriesNoSpecificCharacterSetWhenEveryValueIsAscii() {
        StudyCopy copy = firstReplica(c -> !c.isConflicting());
        Attributes query = studyQuery(copy).setNull(Tag.ACCESSION_NUMBER, VR.SH);
        Attributes withName = studyQuery(copy).setNull(Tag.PATIENT_NAME, VR.PN);

        Attributes ascii = drain(engine(copy.pacs()).find(InformationModel.STUDY_ROOT, query))
                .get(0);
        Attributes named = drain(engine(copy.pacs()).find(InformationModel.STUDY_ROOT, withName))
                .get(0);

        assertThat(ascii.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
        assertThat(ascii.getString(Tag.ACCESSION_NUMBER)).isEqualTo(copy.study().accessionNumber());
        boolean asciiName = copy.holder().patientName().chars().allMatch(c -> c < 0x80);
        assertThat(named.contains(Tag.SPECIFIC_CHARACTER_SET)).isEqualTo(!asciiName);
    }

    @Test
    void aRequestInLatin1MatchesTheSameNamesAsOneInUtf8() {
        StudyCopy copy = firstReplica(c -> c.holder().patientName().startsWith("Müller^")
                || c.holder().patientName().startsWith("Schäfer^"));
        String family = copy.holder()
                .patientName()
                .substring(0, copy.holder().patientName().indexOf('^'));
        Attributes latin1 = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setBytes(Tag.PATIENT_NAME, VR.PN, (family + "*").getBytes(StandardCharsets.ISO_8859_1))
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        Attributes utf8 = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, family + "*")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        List<Attributes> fromLatin1 = drain(engine(copy.pacs()).find(InformationModel.STUDY_ROOT, latin1));
        List<Attributes> fromUtf8 = drain(engine(copy.pacs()).find(InformationModel.STUDY_ROOT, utf8));

        assertThat(fromLatin1).isNotEmpty().isEqualTo(fromUtf8);
    }

    private static Attributes studyQuery(StudyCopy copy) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, copy.study().studyInstanceUid());
    }
}
