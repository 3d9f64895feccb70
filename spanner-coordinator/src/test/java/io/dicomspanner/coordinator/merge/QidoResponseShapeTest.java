package io.dicomspanner.coordinator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QidoResource;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QidoResponseShapeTest {

    private static final String BASE = "https://spanner.example.org/dicomweb/1";
    private static final String STUDY_UID = "1.2.840.99.2.1";
    private static final String SERIES_UID = "1.2.840.99.2.1.3";
    private static final String SOP_UID = "1.2.840.99.2.1.3.7";
    private static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private static final int STATION_NAME = 0x00081010;
    private static final int ROWS = 0x00280010;
    private static final int PATIENT_AGE = 0x00101010;
    private static final int PATIENT_COMMENTS = 0x00104000;
    private static final int BODY_PART_EXAMINED = 0x00180015;
    private static final int PRIVATE_CREATOR = 0x00090010;
    private static final int PRIVATE_ELEMENT = 0x00091001;
    private static final int OTHER_PRIVATE_ELEMENT = 0x00091002;

    /** A merged study as a sloppy PACS answers it: extra attributes of every level, required ones missing. */
    private static Attributes mergedStudy() {
        return new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, SOP_UID)
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A", "PACS_B")
                .setString(Tag.MODALITY, VR.CS, "CT")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT\\PT", " MR", "CT", "")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "PET-CT")
                .setString(STATION_NAME, VR.SH, "CT01")
                .setString(Tag.RETRIEVE_URL, VR.UR, "http://pacs-a.local:8080/dcm4chee-arc/studies/" + STUDY_UID)
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(PATIENT_AGE, VR.AS, "054Y")
                .setString(PATIENT_COMMENTS, VR.LT, "allergic to contrast")
                .setString(BODY_PART_EXAMINED, VR.CS, "CHEST")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, SERIES_UID)
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "250")
                .setString(ROWS, VR.US, "512");
    }

    @Test
    void aStudyResultHoldsTheStudyTableFilledWithEmptiesAndNothingFromLowerLevels() {
        QidoResponseShape shape =
                new QidoResponseShape(QidoResource.ALL_STUDIES, Set.of(), false, RetrieveUrls.under(BASE + "/"));

        Attributes expected = new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setNull(Tag.STUDY_TIME, VR.TM)
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A", "PACS_B")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR", "PT")
                .setNull(Tag.REFERRING_PHYSICIAN_NAME, VR.PN)
                .setString(Tag.RETRIEVE_URL, VR.UR, BASE + "/studies/" + STUDY_UID)
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setNull(Tag.PATIENT_BIRTH_DATE, VR.DA)
                .setNull(Tag.PATIENT_SEX, VR.CS)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setNull(Tag.STUDY_ID, VR.SH)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS)
                .setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "250");
        Attributes shaped = shape.shape(mergedStudy());

        assertThat(shaped).isEqualTo(expected);
        assertThat(shaped.vrOf(Tag.NUMBER_OF_STUDY_RELATED_SERIES)).isEqualTo(VR.IS);
        assertThat(shaped.vrOf(Tag.REFERRING_PHYSICIAN_NAME)).isEqualTo(VR.PN);
        assertThat(shaped.getValue(Tag.MODALITIES_IN_STUDY)).isEqualTo(new String[] {"CT", "MR", "PT"});
    }

    @Test
    void requestedStudyAttributesAreKeptOrFilledButRequestedLowerLevelOnesNever() {
        QidoResponseShape shape = new QidoResponseShape(
                QidoResource.ALL_STUDIES,
                Set.of(Tag.STUDY_DESCRIPTION, PATIENT_COMMENTS, Tag.ISSUER_OF_PATIENT_ID, Tag.SERIES_DESCRIPTION, ROWS),
                false,
                RetrieveUrls.none());

        Attributes shaped = shape.shape(mergedStudy());

        assertThat(shaped.getString(Tag.STUDY_DESCRIPTION)).isEqualTo("PET-CT");
        assertThat(shaped.getString(PATIENT_COMMENTS)).isEqualTo("allergic to contrast");
        assertThat(shaped.contains(Tag.ISSUER_OF_PATIENT_ID)).isTrue();
        assertThat(shaped.isEmptyValue(Tag.ISSUER_OF_PATIENT_ID)).isTrue();
        assertThat(shaped.vrOf(Tag.ISSUER_OF_PATIENT_ID)).isEqualTo(VR.LO);
        assertThat(shaped.contains(Tag.SERIES_DESCRIPTION)).isFalse();
        assertThat(shaped.contains(ROWS)).isFalse();
        assertThat(shaped.getString(Tag.RETRIEVE_URL))
                .as("no base URL: the source's own")
                .isEqualTo("http://pacs-a.local:8080/dcm4chee-arc/studies/" + STUDY_UID);
        assertThat(shape.requestedAttributes())
                .containsExactly(Tag.STUDY_DESCRIPTION, Tag.ISSUER_OF_PATIENT_ID, PATIENT_COMMENTS);
    }

    @Test
    void withoutABaseUrlASourcesRetrieveUrlIsKeptAndNoneIsMadeUpWhereNoSourceGaveOne() {
        QidoResponseShape shape = new QidoResponseShape(QidoResource.ALL_STUDIES, Set.of(), false, RetrieveUrls.none());
        Attributes withoutUrl = mergedStudy();
        withoutUrl.remove(Tag.RETRIEVE_URL);

        assertThat(shape.shape(mergedStudy()).getString(Tag.RETRIEVE_URL))
                .isEqualTo("http://pacs-a.local:8080/dcm4chee-arc/studies/" + STUDY_UID);
        assertThat(shape.shape(mergedStudy()).vrOf(Tag.RETRIEVE_URL)).isEqualTo(VR.UR);
        assertThat(shape.shape(withoutUrl).contains(Tag.RETRIEVE_URL)).isFalse();
    }

    @Test
    void includefieldAllAddsEveryPatientAndStudyAttributeASourceGave() {
        QidoResponseShape shape = new QidoResponseShape(QidoResource.ALL_STUDIES, Set.of(), true, RetrieveUrls.none());

        Attributes shaped = shape.shape(mergedStudy());

        assertThat(shaped.getString(Tag.STUDY_DESCRIPTION)).isEqualTo("PET-CT");
        assertThat(shaped.getString(PATIENT_AGE)).isEqualTo("054Y");
        assertThat(shaped.getString(PATIENT_COMMENTS)).isEqualTo("allergic to contrast");
        assertThat(shaped.contains(Tag.MODALITY)).isFalse();
        assertThat(shaped.contains(STATION_NAME)).isFalse();
        assertThat(shaped.contains(BODY_PART_EXAMINED)).isFalse();
        assertThat(shaped.contains(Tag.SPECIFIC_CHARACTER_SET)).isFalse();
        assertThat(shaped.contains(Tag.QUERY_RETRIEVE_LEVEL)).isFalse();
        assertThat(shaped.getString(Tag.RETRIEVE_URL))
                .isEqualTo("http://pacs-a.local:8080/dcm4chee-arc/studies/" + STUDY_UID);
        assertThat(shaped.size()).isEqualTo(18);
    }

    private static Attributes mergedSeries() {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B")
                .setString(Tag.MODALITY, VR.CS, "PT")
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "WB 3D")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(BODY_PART_EXAMINED, VR.CS, "WHOLEBODY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, SERIES_UID)
                .setString(Tag.SERIES_NUMBER, VR.IS, "3")
                .setString(Tag.INSTANCE_NUMBER, VR.IS, "1");
    }

    @Test
    void allSeriesRepeatTheStudyAttributes() {
        QidoResponseShape shape =
                new QidoResponseShape(QidoResource.ALL_SERIES, Set.of(), false, RetrieveUrls.under(BASE));

        Attributes shaped = shape.shape(mergedSeries());

        Attributes expected = new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "20240105")
                .setNull(Tag.STUDY_TIME, VR.TM)
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B")
                .setString(Tag.MODALITY, VR.CS, "PT")
                .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                .setNull(Tag.REFERRING_PHYSICIAN_NAME, VR.PN)
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "WB 3D")
                .setString(Tag.RETRIEVE_URL, VR.UR, BASE + "/studies/" + STUDY_UID + "/series/" + SERIES_UID)
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setNull(Tag.PATIENT_BIRTH_DATE, VR.DA)
                .setNull(Tag.PATIENT_SEX, VR.CS)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, SERIES_UID)
                .setNull(Tag.STUDY_ID, VR.SH)
                .setString(Tag.SERIES_NUMBER, VR.IS, "3")
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS)
                .setNull(Tag.NUMBER_OF_SERIES_RELATED_INSTANCES, VR.IS);
        assertThat(shaped).isEqualTo(expected);
    }

    @Test
    void aStudysSeriesCarryOnlySeriesAttributesUnlessStudyOnesAreRequested() {
        QidoResponseShape shape = new QidoResponseShape(
                QidoResource.STUDY_SERIES, Set.of(Tag.STUDY_INSTANCE_UID), false, RetrieveUrls.none());

        Attributes expected = new Attributes()
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_B")
                .setString(Tag.MODALITY, VR.CS, "PT")
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "WB 3D")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, SERIES_UID)
                .setString(Tag.SERIES_NUMBER, VR.IS, "3")
                .setNull(Tag.NUMBER_OF_SERIES_RELATED_INSTANCES, VR.IS);
        assertThat(shape.shape(mergedSeries())).isEqualTo(expected);
    }

    @Test
    void instanceResultsGetTheirFullRetrieveUrlFromTheirOwnUids() {
        Attributes instance = new Attributes()
                .setString(Tag.SOP_CLASS_UID, VR.UI, CT_IMAGE_STORAGE)
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, SOP_UID)
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_C")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, SERIES_UID)
                .setString(Tag.INSTANCE_NUMBER, VR.IS, "7")
                .setInt(ROWS, VR.US, 512);
        QidoResponseShape shape =
                new QidoResponseShape(QidoResource.STUDY_SERIES_INSTANCES, Set.of(), false, RetrieveUrls.under(BASE));

        Attributes expected = new Attributes()
                .setString(Tag.SOP_CLASS_UID, VR.UI, CT_IMAGE_STORAGE)
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, SOP_UID)
                .setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_C")
                .setString(
                        Tag.RETRIEVE_URL,
                        VR.UR,
                        BASE + "/studies/" + STUDY_UID + "/series/" + SERIES_UID + "/instances/" + SOP_UID)
                .setString(Tag.INSTANCE_NUMBER, VR.IS, "7")
                .setInt(ROWS, VR.US, 512);
        assertThat(shape.shape(instance)).isEqualTo(expected);
    }

    @Test
    void aRecordWithoutAValidUidOnItsPathGetsNoRetrieveUrl() {
        RetrieveUrls urls = RetrieveUrls.under(BASE);
        Attributes noSeries = new Attributes()
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, STUDY_UID)
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, SOP_UID);
        Attributes badUid = new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3/../../admin");

        assertThat(urls.urlOf(io.dicomspanner.dicom.query.QueryLevel.IMAGE, noSeries))
                .isEmpty();
        assertThat(urls.urlOf(io.dicomspanner.dicom.query.QueryLevel.STUDY, noSeries))
                .contains(BASE + "/studies/" + STUDY_UID);
        assertThat(urls.urlOf(io.dicomspanner.dicom.query.QueryLevel.STUDY, badUid))
                .isEmpty();
        assertThat(new QidoResponseShape(QidoResource.ALL_STUDIES, Set.of(), false, urls)
                        .shape(badUid)
                        .contains(Tag.RETRIEVE_URL))
                .isFalse();
    }

    @Test
    void aRequestedPrivateAttributeComesWithItsCreatorAndIsNeverFilled() {
        Attributes record = mergedStudy()
                .setString(PRIVATE_CREATOR, VR.LO, "ACME 1.0")
                .setString(PRIVATE_ELEMENT, VR.LO, "kept")
                .setString(OTHER_PRIVATE_ELEMENT, VR.LO, "not asked for");
        QidoResponseShape shape = new QidoResponseShape(
                QidoResource.ALL_STUDIES, Set.of(PRIVATE_ELEMENT, 0x00111001), false, RetrieveUrls.none());

        Attributes shaped = shape.shape(record);

        assertThat(shaped.getString(PRIVATE_CREATOR)).isEqualTo("ACME 1.0");
        assertThat(shaped.getString(PRIVATE_ELEMENT)).isEqualTo("kept");
        assertThat(shaped.contains(OTHER_PRIVATE_ELEMENT)).isFalse();
        assertThat(shaped.contains(0x00111001)).isFalse();
        assertThat(shaped.contains(0x00110010)).isFalse();
    }

    @Test
    void shapingLeavesTheMergedRecordUntouched() {
        Attributes merged = mergedStudy();
        new QidoResponseShape(QidoResource.ALL_STUDIES, Set.of(), false, RetrieveUrls.under(BASE)).shape(merged);
        assertThat(merged).isEqualTo(mergedStudy());
    }
}
