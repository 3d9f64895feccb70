package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QidoQueryStringTest {

    private static final String MALFORMED =
            "is not well-formed: each % must start a %XX escape and the decoded bytes must be UTF-8";

    private static List<FieldProblem> problems(String raw) {
        try {
            QidoQueryString.parse(raw, 100);
        } catch (InvalidRequestException e) {
            return e.problems();
        }
        throw new AssertionError("expected a 400 for " + raw);
    }

    @Test
    void decodesNamesAndValuesInRequestOrderKeepingRepeats() {
        Map<String, List<String>> parameters = QidoQueryString.parse(
                "PatientName=M%C3%BCller%5E*&includefield=StudyDate&includefield=00100030&x+y=a+b&flag&&", 100);

        assertThat(parameters)
                .containsExactly(
                        Map.entry("PatientName", List.of("Müller^*")),
                        Map.entry("includefield", List.of("StudyDate", "00100030")),
                        Map.entry("x y", List.of("a b")),
                        Map.entry("flag", List.of("")));
        assertThat(QidoQueryString.parse(null, 100)).isEmpty();
        assertThat(QidoQueryString.parse("", 100)).isEmpty();
        assertThat(QidoQueryString.parse("&&", 100)).isEmpty();
    }

    @Test
    void aParameterWithoutANameIsRefusedByPosition() {
        assertThat(problems("PatientID=1&=-1")).containsExactly(new FieldProblem("query", "parameter 2 has no name"));
    }

    @Test
    void malformedPercentEncodingIsRefusedNamingTheParameter() {
        assertThat(problems("a=%zz")).containsExactly(new FieldProblem("a", "the value " + MALFORMED));
        assertThat(problems("PatientID=12%")).containsExactly(new FieldProblem("PatientID", "the value " + MALFORMED));
        assertThat(problems("PatientID=%4")).containsExactly(new FieldProblem("PatientID", "the value " + MALFORMED));
        assertThat(problems("PatientName=%C3%28"))
                .as("not UTF-8")
                .containsExactly(new FieldProblem("PatientName", "the value " + MALFORMED));
        assertThat(problems("%ff=1&b=%zz"))
                .containsExactly(
                        new FieldProblem("query", "the name of parameter 1 " + MALFORMED),
                        new FieldProblem("b", "the value " + MALFORMED));
    }

    @Test
    void moreParametersThanAllowedAreRefused() {
        assertThat(QidoQueryString.parse("a=1&b=2&c=3", 3)).hasSize(3);
        assertThatThrownBy(() -> QidoQueryString.parse("a=1&b=2&c=3&d=4", 3))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.problems())
                                .containsExactly(new FieldProblem("query", "has more than 3 parameters")));
    }

    @Test
    void controlCharactersDecodeAsThemselvesForTheParserToRefuse() {
        assertThat(QidoQueryString.parse("StudyTime=%00", 100)).containsExactly(Map.entry("StudyTime", List.of("\0")));
    }
}
