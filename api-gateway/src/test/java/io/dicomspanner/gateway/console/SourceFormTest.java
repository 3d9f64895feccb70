package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.source.DicomSourceRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceFormTest {

    private static SourceForm form(String port, String unmatchedKeys, String tags, String enabled) {
        return new SourceForm(
                "PACS North",
                "NORTHPACS",
                "pacs.north.example",
                port,
                "",
                null,
                "true",
                "8",
                "abc",
                List.of("study_root", "patient_root"),
                "true",
                unmatchedKeys,
                " ",
                tags,
                enabled);
    }

    @Test
    void aFormBecomesTheAdminApisRequestWithListsSplitAtCommasAndSpacesAndBlanksAbsent() {
        Map<String, String> problems = new LinkedHashMap<>();

        DicomSourceRequest request = form(" 104 ", "ModalitiesInStudy, BodyPartExamined", "radiology,, ct  mr", null)
                .toRequest(problems);

        assertThat(problems).containsExactly(Map.entry("queryTimeoutSeconds", "must be a whole number"));
        assertThat(request)
                .isEqualTo(new DicomSourceRequest(
                        "PACS North",
                        "NORTHPACS",
                        "pacs.north.example",
                        104,
                        null,
                        false,
                        true,
                        8,
                        null,
                        List.of("study_root", "patient_root"),
                        true,
                        List.of("ModalitiesInStudy", "BodyPartExamined"),
                        false,
                        null,
                        List.of("radiology", "ct", "mr"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null));
    }

    @Test
    void aPortThatIsNotANumberIsNamedAndSentAsAbsent() {
        Map<String, String> problems = new LinkedHashMap<>();

        DicomSourceRequest request = form("4242x", "", "", "true").toRequest(problems);

        assertThat(problems)
                .containsExactly(
                        Map.entry("port", "must be a whole number"),
                        Map.entry("queryTimeoutSeconds", "must be a whole number"));
        assertThat(request.port()).isNull();
        assertThat(request.unmatchedKeys()).isEmpty();
        assertThat(request.tags()).isEmpty();
        assertThat(request.enabled()).isTrue();
    }

    @Test
    void aNewSourcesFormHoldsTheApisDefaultsAndWithEnabledSwitchesOnlyEnabled() {
        SourceForm empty = SourceForm.empty();

        assertThat(empty.callingAeTitle()).isEqualTo("SPANNER");
        assertThat(empty.maxAssociations()).isEqualTo("4");
        assertThat(empty.queryTimeoutSeconds()).isEqualTo("30");
        assertThat(empty.informationModels()).containsExactly("study_root");
        assertThat(empty.isTicked(empty.tlsVerifyHostname())).isTrue();
        assertThat(empty.isTicked(empty.tls())).isFalse();
        assertThat(empty.isTicked(empty.enabled())).isTrue();
        assertThat(empty.withEnabled(false))
                .isEqualTo(new SourceForm(
                        "",
                        "",
                        "",
                        "",
                        "SPANNER",
                        null,
                        "true",
                        "4",
                        "30",
                        List.of("study_root"),
                        null,
                        "",
                        "",
                        "",
                        null));
    }
}
