package io.dicomspanner.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Exercises every endpoint that carries PHI (query log search by PatientID, a mapping filter on PatientID, a bad
 * request holding a patient name) with the gateway, Spring MVC and SQL logging at DEBUG, and checks that no log line
 * holds the clear-text values.
 */
class NoPhiInLogsTest extends GatewayTest {

    private static final String PATIENT_ID = "MRN-55501234";
    private static final String PATIENT_NAME = "Zebedee^Quixote";
    private static final String BIRTH_DATE = "19440606";
    private static final List<String> DEBUG_LOGGERS =
            List.of("io.dicomspanner", "org.springframework.web", "org.hibernate.SQL", "org.springframework.jdbc");

    @Autowired
    PhiTokenizer phiTokenizer;

    @RegisterExtension
    final LogCapture.EachTest captured = LogCapture.everythingInEachTest(DEBUG_LOGGERS);

    @Test
    void noClearTextPhiInAnyLogLine() {
        Reply search = post("/api/v1/query-log/search/", "{\"patient_id\": \"" + PATIENT_ID + "\"}");
        post(
                "/api/v1/sources",
                "{\"name\": \"PACS-A\", \"ae_title\": \"PACSA\", \"host\": \"10.1.2.3\", \"port\": 104}");
        post("/api/v1/config/spanner", "{\"name\": \"A\"}");
        Reply mapping = post(
                "/api/v1/config/spanner/1/sources",
                "{\"source_id\": 1, \"additional_query_filters\":" + " {\"PatientID\": \"" + PATIENT_ID
                        + "\", \"PatientName\": \"" + PATIENT_NAME + "\"}}");
        put(
                "/api/v1/config/spanner/1/sources/1",
                "{\"source_id\": 1, \"additional_query_filters\":" + " {\"PatientBirthDate\": \"" + BIRTH_DATE
                        + "\"}}");
        Reply badSearch = post(
                "/api/v1/query-log/search",
                "{\"patient_id\": \"" + PATIENT_ID + "\", \"status\": 5," + " \"patient_name\": \"" + PATIENT_NAME
                        + "\"}");
        Reply wrongType = post("/api/v1/query-log/search", "{\"config_id\": \"" + PATIENT_ID + "\"}");
        Reply tooLong = post("/api/v1/query-log/search", "{\"patient_id\": \"" + PATIENT_ID.repeat(9) + "\"}");

        assertThat(search.status()).isEqualTo(200);
        // a patient attribute is no source filter: refused, naming the attribute and not its value
        assertThat(mapping.status()).isEqualTo(400);
        assertThat(badSearch.status()).isEqualTo(400);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(tooLong.status()).isEqualTo(400);
        List<String> lines = captured.fullLines();
        // The capture works: the search was logged, under the PatientID's token, and Spring MVC logged at DEBUG.
        assertThat(lines).anyMatch(line -> line.contains(phiTokenizer.patientId(PATIENT_ID)));
        // (DispatcherServlet is pinned at info, it quotes query strings; the handler mapping shows MVC at DEBUG.)
        assertThat(lines).anyMatch(line -> line.contains("SourceMappingController#create"));
        assertThat(lines)
                .allSatisfy(line -> assertThat(line)
                        .doesNotContain(PATIENT_ID)
                        .doesNotContain(PATIENT_NAME)
                        .doesNotContain("Zebedee")
                        .doesNotContain(BIRTH_DATE));
    }
}
