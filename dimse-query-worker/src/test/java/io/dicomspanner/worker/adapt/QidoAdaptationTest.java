package io.dicomspanner.worker.adapt;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pure parts of adapting a query to a QIDO-RS archive: one value per parameter, and halving a capped search. */
class QidoAdaptationTest {

    private static Attributes studies() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    @Test
    void aMultiValuedKeyBecomesOneIdentifierPerValueAndAUidListStaysOne() {
        Attributes query = studies()
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR", "CT")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3", "1.2.4");

        List<Attributes> split = QueryAdapter.splitMultiValued(query);

        assertThat(split)
                .containsExactly(
                        studies()
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3", "1.2.4"),
                        studies()
                                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "MR")
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3", "1.2.4"));
        assertThat(QueryAdapter.splitMultiValued(studies())).containsExactly(studies());
    }

    @Test
    void ofSeveralMultiValuedKeysTheWidestIsSplitAndTheOthersAreSentEmptyForTheLocalCheck() {
        Attributes query = studies()
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR", "PT")
                .setString(Tag.ACCESSION_NUMBER, VR.SH, "A1", "A2");

        List<Attributes> split = QueryAdapter.splitMultiValued(query);

        assertThat(split).extracting(a -> a.getString(Tag.MODALITIES_IN_STUDY)).containsExactly("CT", "MR", "PT");
        assertThat(split).allSatisfy(a -> {
            assertThat(a.contains(Tag.ACCESSION_NUMBER)).isTrue();
            assertThat(a.isEmptyValue(Tag.ACCESSION_NUMBER)).isTrue();
            assertThat(a.vrOf(Tag.ACCESSION_NUMBER)).isEqualTo(VR.SH);
        });
    }

    @Test
    void aDateRangeIsHalvedDownToSingleDays() {
        Attributes year = studies().setString(Tag.STUDY_DATE, VR.DA, "20200101-20201231");

        assertThat(StudyPeriodSplit.halves(year))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("20200101-20200701", "20200702-20201231");
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "20200101-20200102")))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("20200101", "20200102");
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "20200101-20200103")))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("20200101-20200102", "20200103");
        assertThat(StudyPeriodSplit.halves(year).get(0).getString(Tag.PATIENT_ID))
                .isEqualTo("P1");
        assertThat(year.getString(Tag.STUDY_DATE)).as("the query itself").isEqualTo("20200101-20201231");
    }

    @Test
    void openEndsAndAMissingDateStandForTheWholeCalendar() {
        assertThat(StudyPeriodSplit.halves(studies()))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("00010101-50000702", "50000703-99991231");
        assertThat(StudyPeriodSplit.halves(studies().setNull(Tag.STUDY_DATE, VR.DA)))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("00010101-50000702", "50000703-99991231");
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "20200101-")))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("20200101-60091231", "60100101-99991231");
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "-20200101")))
                .extracting(a -> a.getString(Tag.STUDY_DATE))
                .containsExactly("00010101-10100703", "10100704-20200101");
    }

    @Test
    void aSingleDayIsHalvedByItsStudyTimeRangeDownToSingleSeconds() {
        Attributes day = studies().setString(Tag.STUDY_DATE, VR.DA, "20200101");

        assertThat(StudyPeriodSplit.halves(day))
                .extracting(a -> a.getString(Tag.STUDY_DATE) + " " + a.getString(Tag.STUDY_TIME))
                .containsExactly("20200101 000000-115959.999999", "20200101 120000-235959.999999");
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "20200101-20200101")))
                .extracting(a -> a.getString(Tag.STUDY_TIME))
                .containsExactly("000000-115959.999999", "120000-235959.999999");
        assertThat(StudyPeriodSplit.halves(Attributes.copyOf(day).setString(Tag.STUDY_TIME, VR.TM, "0800-080001.5")))
                .extracting(a -> a.getString(Tag.STUDY_TIME))
                .containsExactly("080000-080000.999999", "080001-080001.999999");
        assertThat(StudyPeriodSplit.halves(Attributes.copyOf(day).setString(Tag.STUDY_TIME, VR.TM, "22-")))
                .extracting(a -> a.getString(Tag.STUDY_TIME))
                .containsExactly("220000-225959.999999", "230000-235959.999999");
    }

    @Test
    void aSingleSecondOrAValueThatIsNoRangeIsNotSplit() {
        Attributes day = studies().setString(Tag.STUDY_DATE, VR.DA, "20200101");

        assertThat(StudyPeriodSplit.halves(Attributes.copyOf(day).setString(Tag.STUDY_TIME, VR.TM, "080000")))
                .isEmpty();
        assertThat(StudyPeriodSplit.halves(Attributes.copyOf(day).setString(Tag.STUDY_TIME, VR.TM, "0800-0800")))
                .isEmpty();
        assertThat(StudyPeriodSplit.halves(Attributes.copyOf(day).setString(Tag.STUDY_TIME, VR.TM, "08:00-09:00")))
                .isEmpty();
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "2020.01.01-2020.12.31")))
                .isEmpty();
        assertThat(StudyPeriodSplit.halves(studies().setString(Tag.STUDY_DATE, VR.DA, "20200101", "20200105")))
                .isEmpty();
    }
}
