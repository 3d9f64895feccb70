package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.query.QidoResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchFormTest {

    private static SearchForm studies(String patientId, String birthDate, String from, String to, String modality) {
        return new SearchForm(
                "1", "studies", patientId, "SMITH^J*", birthDate, from, to, modality, "A12", "*CHEST*", null, null);
    }

    @Test
    void aStudySearchBecomesTheQidoParametersOfAllStudiesWithTheTableColumnsAsReturnKeys() {
        SearchForm form = studies("P1", "1964-07-15", "2012-01-01", "20121231", "CT");

        assertThat(form.resource()).isEqualTo(QidoResource.ALL_STUDIES);
        assertThat(form.qidoParameters())
                .containsExactly(
                        Map.entry("PatientID", List.of("P1")),
                        Map.entry("PatientName", List.of("SMITH^J*")),
                        Map.entry("PatientBirthDate", List.of("19640715")),
                        Map.entry("StudyDate", List.of("20120101-20121231")),
                        Map.entry("ModalitiesInStudy", List.of("CT")),
                        Map.entry("AccessionNumber", List.of("A12")),
                        Map.entry("StudyDescription", List.of("*CHEST*")),
                        Map.entry(
                                "includefield",
                                List.of("PatientBirthDate,StudyDescription,ModalitiesInStudy,"
                                        + "NumberOfStudyRelatedSeries,NumberOfStudyRelatedInstances")));
    }

    @Test
    void aStudyDateRangeMayBeOpenAtEitherEndAndOneDayIsADate() {
        assertThat(studies(null, null, "2012-01-01", null, null)
                        .qidoParameters()
                        .get("StudyDate"))
                .containsExactly("20120101-");
        assertThat(studies(null, null, null, "2012-01-01", null)
                        .qidoParameters()
                        .get("StudyDate"))
                .containsExactly("-20120101");
        assertThat(studies(null, null, "20120101", "2012-01-01", null)
                        .qidoParameters()
                        .get("StudyDate"))
                .containsExactly("20120101");
    }

    @Test
    void aDrillDownToInstancesNamesItsStudyAndSeriesAsMatchingKeysOfAllInstances() {
        SearchForm form =
                new SearchForm("1", "instances", null, null, null, null, null, null, null, null, "1.2.3", "1.2.3.4");

        assertThat(form.resource()).isEqualTo(QidoResource.ALL_INSTANCES);
        assertThat(form.hasMatchingField()).isTrue();
        assertThat(form.qidoParameters())
                .containsExactly(
                        Map.entry("StudyInstanceUID", List.of("1.2.3")),
                        Map.entry("SeriesInstanceUID", List.of("1.2.3.4")),
                        Map.entry("includefield", List.of("SOPClassUID,InstanceNumber")));
    }

    @Test
    void aSeriesSearchAsksTheSeriesModalityAndDescription() {
        SearchForm form = new SearchForm("1", "series", "P1", null, null, null, null, "MR", null, "AX*", null, null);

        assertThat(form.resource()).isEqualTo(QidoResource.ALL_SERIES);
        assertThat(form.qidoParameters())
                .containsExactly(
                        Map.entry("PatientID", List.of("P1")),
                        Map.entry("Modality", List.of("MR")),
                        Map.entry("SeriesDescription", List.of("AX*")),
                        Map.entry("includefield", List.of("SeriesDescription,NumberOfSeriesRelatedInstances")));
    }

    @Test
    void aFormWithOnlyBlankFieldsHasNoMatchingField() {
        SearchForm form = new SearchForm("1", "studies", " ", "", null, null, null, null, null, null, null, null);

        assertThat(form.hasMatchingField()).isFalse();
    }

    @Test
    void theConsoleSettingsRefuseAnIdleTimeoutUnderASecondAndAPageOver500Rows() {
        assertThatThrownBy(() -> new ConsoleProperties(
                        Duration.ofMillis(500), 50, Duration.ofMillis(500), Duration.ofSeconds(30)))
                .hasMessage("spanner.console.session-idle-timeout must be at least 1s");
        assertThatThrownBy(() -> new ConsoleProperties(
                        Duration.ofMinutes(30), 501, Duration.ofMillis(500), Duration.ofSeconds(30)))
                .hasMessage("spanner.console.page-size must be 1 to 500");
        assertThatThrownBy(() -> new ConsoleProperties(
                        Duration.ofMinutes(30), 50, Duration.ofMillis(50), Duration.ofSeconds(30)))
                .hasMessage("spanner.console.status-poll-interval must be 100ms to 60s");
        assertThatThrownBy(() -> new ConsoleProperties(
                        Duration.ofMinutes(30), 50, Duration.ofMillis(500), Duration.ofMillis(500)))
                .hasMessage("spanner.console.echo-wait must be 1s to 10m");
        assertThat(new ConsoleProperties(Duration.ofMinutes(30), 50, Duration.ofMillis(500), Duration.ofSeconds(30))
                        .sessionIdleSeconds())
                .isEqualTo(1800);
    }
}
