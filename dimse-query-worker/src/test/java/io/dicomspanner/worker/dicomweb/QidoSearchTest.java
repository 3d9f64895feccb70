package io.dicomspanner.worker.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import org.junit.jupiter.api.Test;

class QidoSearchTest {

    private static final String BASE = "http://archive:8042/dicom-web";

    /** Parameters come in the identifier's tag order. */
    @Test
    void aStudySearchSendsValuesAsMatchingKeysAndEmptyKeysAsIncludefields() {
        Attributes keys = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, "20200101-20201231")
                .setNull(Tag.ACCESSION_NUMBER, VR.SH)
                .setString(Tag.PATIENT_NAME, VR.PN, "Müller^Hans*")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        QidoSearch search = QidoSearch.of(QueryLevel.STUDY, keys, false);

        assertThat(search.page(BASE, 50, 100).toString())
                .isEqualTo(BASE + "/studies?StudyDate=20200101-20201231&ModalitiesInStudy=CT%5CMR"
                        + "&PatientName=M%C3%BCller%5EHans*&includefield=AccessionNumber&includefield=StudyInstanceUID"
                        + "&limit=50&offset=100");
        assertThat(search.page(BASE, 0, 0).toString())
                .isEqualTo(
                        BASE + "/studies?StudyDate=20200101-20201231&ModalitiesInStudy=CT%5CMR"
                                + "&PatientName=M%C3%BCller%5EHans*&includefield=AccessionNumber&includefield=StudyInstanceUID");
    }

    @Test
    void aSeriesSearchOfOneStudyGoesBelowItAndGivesItsUidToRecordsThatLackIt() {
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3")
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI)
                .setNull(Tag.MODALITY, VR.CS);

        QidoSearch search = QidoSearch.of(QueryLevel.SERIES, keys, true);

        assertThat(search.page(BASE, 2, 0).toString())
                .isEqualTo(BASE + "/studies/1.2.3/series?includefield=all&limit=2&offset=0");
        Attributes record = search.completed(new Attributes().setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3.4"));
        assertThat(record.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.2.3");
        assertThat(record.vrOf(Tag.STUDY_INSTANCE_UID)).isEqualTo(VR.UI);
    }

    @Test
    void instancesOfOneSeriesAreAskedBelowBothAndAUidListOrWildcardStaysAParameter() {
        Attributes both = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2")
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3")
                .setNull(Tag.SOP_INSTANCE_UID, VR.UI);
        Attributes list = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "IMAGE")
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.3", "1.2.4")
                .setNull(Tag.SOP_INSTANCE_UID, VR.UI);

        assertThat(QidoSearch.of(QueryLevel.IMAGE, both, false)
                        .page(BASE, 10, 0)
                        .toString())
                .isEqualTo(BASE + "/studies/1.2/series/1.2.3/instances?includefield=SOPInstanceUID&limit=10&offset=0");
        assertThat(QidoSearch.of(QueryLevel.IMAGE, list, false)
                        .page(BASE, 10, 0)
                        .toString())
                .isEqualTo(BASE + "/instances?SeriesInstanceUID=1.2.3%2C1.2.4&includefield=SOPInstanceUID"
                        + "&limit=10&offset=0");
    }

    @Test
    void aStatusIsNamedWithItsReasonPhrase() {
        assertThat(HttpStatusText.of(401)).isEqualTo("HTTP 401 Unauthorized");
        assertThat(HttpStatusText.of(503)).isEqualTo("HTTP 503 Service Unavailable");
        assertThat(HttpStatusText.of(599)).isEqualTo("HTTP 599");
    }

    @Test
    void permitsBeyondTheLimitWaitAndPassOnInOrder() {
        ConnectionPermits permits = new ConnectionPermits(1);
        var first = permits.acquire();
        var second = permits.acquire();
        var third = permits.acquire();
        assertThat(first).isCompleted();
        assertThat(second).isNotDone();

        second.completeExceptionally(new RuntimeException("gave up"));
        permits.release();

        assertThat(third).isCompleted();
        assertThat(permits.inUse()).isEqualTo(1);
        permits.release();
        assertThat(permits.inUse()).isZero();
    }
}
