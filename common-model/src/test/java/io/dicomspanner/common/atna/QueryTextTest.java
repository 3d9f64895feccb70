package io.dicomspanner.common.atna;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryTextTest {

    private static final PhiTokenizer TOKENIZER = PhiTokenizer.withSecret("0123456789abcdef0123456789abcdef");

    @Test
    void phiValuesBecomeTokensAndEverythingElseStaysAsAsked() {
        SpanQuery query = new SpanQuery(
                3,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(
                        new QueryKey("00100020", "PAT-123"),
                        new QueryKey("00100010", "DOE^JOHN"),
                        new QueryKey("00080020", "20240101-20240131"),
                        new QueryKey("00080061", "CT\\MR")),
                List.of("0008103E"),
                false,
                true,
                50,
                10);

        String text = QueryText.of(query, TOKENIZER);

        assertThat(text)
                .isEqualTo("config=3&level=STUDY&resource=ALL_STUDIES"
                        + "&StudyDate=20240101-20240131"
                        + "&ModalitiesInStudy=CT%5CMR"
                        + "&PatientName=" + TOKENIZER.patientName("DOE^JOHN")
                        + "&PatientID=" + TOKENIZER.patientId("PAT-123")
                        + "&includefield=0008103E&fuzzymatching=true&limit=50&offset=10");
        assertThat(text).doesNotContain("PAT-123").doesNotContain("DOE").doesNotContain("JOHN");
    }

    @Test
    void aDimseQueryHasNoResourceAndKeysInsideSequencesAreDotJoined() {
        SpanQuery query = new SpanQuery(
                7,
                QueryLevel.PATIENT,
                null,
                List.of(new QueryKey("00101002.00100020", "OTHER-9"), new QueryKey("00100030", "")),
                List.of(),
                true,
                false,
                null,
                0);

        assertThat(QueryText.of(query, TOKENIZER))
                .isEqualTo("config=7&level=PATIENT&PatientBirthDate="
                        + "&OtherPatientIDsSequence.PatientID=OTHER-9&includefield=all");
    }
}
