package io.dicomspanner.coordinator.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CFindIdentifiersTest {

    @Test
    void aStudySearchAsksForTheStudyTableWithTheMatchingKeysAndTheSourcesFilters() {
        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "P1"), new QueryKey("00080020", "20240101-20241231")),
                List.of("00081030"),
                false,
                false,
                10,
                0);

        Attributes identifier = CFindIdentifiers.forSource(query, Map.of("InstitutionName", "North Hospital"));

        Attributes expected = new Attributes();
        expected.setString(Tag.STUDY_DATE, VR.DA, "20240101-20241231");
        expected.setNull(0x00080030, VR.TM); // StudyTime
        expected.setNull(0x00080050, VR.SH); // AccessionNumber
        expected.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        expected.setNull(0x00080056, VR.CS); // InstanceAvailability
        expected.setNull(Tag.MODALITIES_IN_STUDY, VR.CS);
        expected.setString(0x00080080, VR.LO, "North Hospital"); // InstitutionName, the source's filter
        expected.setNull(0x00080090, VR.PN); // ReferringPhysicianName
        expected.setNull(0x00081030, VR.LO); // StudyDescription, an includefield
        expected.setNull(Tag.PATIENT_NAME, VR.PN);
        expected.setString(Tag.PATIENT_ID, VR.LO, "P1");
        expected.setNull(Tag.PATIENT_BIRTH_DATE, VR.DA);
        expected.setNull(0x00100040, VR.CS); // PatientSex
        expected.setNull(0x00080201, VR.SH); // TimezoneOffsetFromUTC
        expected.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        expected.setNull(0x00200010, VR.SH); // StudyID
        expected.setNull(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS);
        expected.setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);
        assertThat(identifier).isEqualTo(expected);
        // What travels in the task is the DICOM JSON of exactly this identifier.
        assertThat(new DicomJsonReader().read(new DicomJsonWriter().toJson(identifier)))
                .isEqualTo(expected);
    }

    @Test
    void aSeriesSearchAsksForTheStudyUidTooSoResultsCanBeRetrieved() {
        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.SERIES,
                QidoResource.STUDY_SERIES,
                List.of(new QueryKey("0020000D", "1.2.3")),
                List.of(),
                false,
                false,
                null,
                0);

        Attributes identifier = CFindIdentifiers.forSource(query, Map.of());

        assertThat(identifier.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo("1.2.3");
        assertThat(identifier.contains(Tag.SERIES_INSTANCE_UID)).isTrue();
        assertThat(identifier.getString(Tag.QUERY_RETRIEVE_LEVEL)).isEqualTo("SERIES");
        assertThat(identifier.contains(Tag.RETRIEVE_URL)).isFalse();
    }

    @Test
    void aKeyInsideASequenceBecomesAnItemOfThatSequence() {
        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.SERIES,
                QidoResource.STUDY_SERIES,
                List.of(new QueryKey("00400275.00400009", "SPS-1")),
                List.of(),
                false,
                false,
                null,
                0);

        Attributes keys = CFindIdentifiers.matchingKeys(query);

        assertThat(keys.size()).isEqualTo(1);
        assertThat(keys.getSequence(0x00400275).get(0).getString(0x00400009)).isEqualTo("SPS-1");
    }

    @Test
    void anAdditionalFilterThatNamesNoAttributeIsRefused() {
        SpanQuery query = new SpanQuery(
                1, QueryLevel.STUDY, QidoResource.ALL_STUDIES, List.of(), List.of(), false, false, null, 0);

        assertThatThrownBy(() -> CFindIdentifiers.forSource(query, Map.of("Institution", "X")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("additional query filter names no DICOM attribute: 'Institution'");
    }
}
