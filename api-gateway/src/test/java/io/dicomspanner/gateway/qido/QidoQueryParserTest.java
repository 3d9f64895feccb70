package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.qido.QidoQueryParser.PathUids;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QidoQueryParserTest {

    private final QidoQueryParser parser = new QidoQueryParser(1000);

    /** Parameters as a servlet container gives them, from a query string (no percent-decoding needed here). */
    private static Map<String, List<String>> query(String queryString) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : queryString.split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private SpanQuery parse(QidoResource resource, PathUids path, String queryString) {
        return parser.parse(resource, path, query(queryString)).toSpanQuery(7);
    }

    private SpanQuery studies(String queryString) {
        return parse(QidoResource.ALL_STUDIES, PathUids.NONE, queryString);
    }

    private List<FieldProblem> problems(QidoResource resource, String queryString) {
        try {
            parser.parse(resource, PathUids.NONE, query(queryString));
        } catch (InvalidRequestException e) {
            return e.problems();
        }
        throw new AssertionError("expected a 400 for " + queryString);
    }

    @Test
    void keywordAndTagNameTheSameKey() {
        SpanQuery byKeyword = studies("PatientID=12345");
        SpanQuery byTag = studies("00100020=12345");
        SpanQuery byLowerCaseTag = studies("0020000d=1.2.3");

        assertThat(byKeyword.keys()).containsExactly(new QueryKey("00100020", "12345"));
        assertThat(byTag).isEqualTo(byKeyword);
        assertThat(byLowerCaseTag.keys()).containsExactly(new QueryKey("0020000D", "1.2.3"));
    }

    @Test
    void producesTheWholeCanonicalQuery() {
        SpanQuery query = studies("PatientName=DOE*&StudyDate=20200101-20201231&spanner_config_id=7");

        assertThat(query)
                .isEqualTo(new SpanQuery(
                        7,
                        QueryLevel.STUDY,
                        QidoResource.ALL_STUDIES,
                        List.of(new QueryKey("00080020", "20200101-20201231"), new QueryKey("00100010", "DOE*")),
                        List.of(),
                        false,
                        false,
                        1000,
                        0));
    }

    @Test
    void keywordsAreCaseSensitiveAndUnknownParametersIgnored() {
        SpanQuery query = studies("patientid=1&PatientId=2&foo=bar&=x&AccessionNumber=A1");

        assertThat(query.keys()).containsExactly(new QueryKey("00080050", "A1"));
    }

    @Test
    void uidListsAndCodeStringListsTakeCommas() {
        SpanQuery query = studies("StudyInstanceUID=1.2.3,1.2.4&ModalitiesInStudy=CT,MR");

        assertThat(query.keys())
                .containsExactly(new QueryKey("00080061", "CT\\MR"), new QueryKey("0020000D", "1.2.3\\1.2.4"));
    }

    @Test
    void commasStayLiteralInOtherValues() {
        assertThat(studies("PatientName=DOE,JOHN").keys()).containsExactly(new QueryKey("00100010", "DOE,JOHN"));
    }

    @Test
    void dateAndTimeRangesInEveryForm() {
        SpanQuery query = studies("StudyDate=-20201231&StudyTime=0800-");

        assertThat(query.keys())
                .containsExactly(new QueryKey("00080020", "-20201231"), new QueryKey("00080030", "0800-"));
    }

    @Test
    void includefieldTakesListsRepeatsTagsAndEmptyValues() {
        SpanQuery query = studies("includefield=StudyDescription,00101010&includefield=&includefield=00081030&&");

        assertThat(query.returnKeys()).containsExactly("00081030", "00101010");
        assertThat(query.includeAll()).isFalse();
    }

    @Test
    void includefieldAll() {
        SpanQuery query = studies("includefield=all");

        assertThat(query.includeAll()).isTrue();
        assertThat(query.returnKeys()).isEmpty();
    }

    @Test
    void nestedIncludefieldReturnsItsSequence() {
        SpanQuery query = parse(
                QidoResource.ALL_SERIES, PathUids.NONE, "includefield=RequestAttributesSequence.RequestedProcedureID");

        assertThat(query.returnKeys()).containsExactly("00400275");
    }

    @Test
    void dottedPathsMatchInsideSequenceItems() {
        SpanQuery query = parse(
                QidoResource.ALL_SERIES, PathUids.NONE, "RequestAttributesSequence.ScheduledProcedureStepID=SPS1");

        assertThat(query.keys()).containsExactly(new QueryKey("00400275.00400009", "SPS1"));
        assertThat(query.level()).isEqualTo(QueryLevel.SERIES);
    }

    @Test
    void pathUidsBecomeKeys() {
        SpanQuery query =
                parse(QidoResource.STUDY_SERIES_INSTANCES, new PathUids("1.2.3", "1.2.3.4"), "InstanceNumber=1");

        assertThat(query.level()).isEqualTo(QueryLevel.IMAGE);
        assertThat(query.resource()).isEqualTo(QidoResource.STUDY_SERIES_INSTANCES);
        assertThat(query.keys())
                .containsExactly(
                        new QueryKey("0020000D", "1.2.3"),
                        new QueryKey("0020000E", "1.2.3.4"),
                        new QueryKey("00200013", "1"));
    }

    @Test
    void aParameterRepeatingThePathUidIsAccepted() {
        SpanQuery query = parse(QidoResource.STUDY_SERIES, new PathUids("1.2.3", null), "StudyInstanceUID=1.2.3");

        assertThat(query.keys()).containsExactly(new QueryKey("0020000D", "1.2.3"));
    }

    @Test
    void limitIsCappedAndDefaultsToTheMaximum() {
        assertThat(studies("limit=25&offset=50"))
                .extracting(SpanQuery::limit, SpanQuery::offset)
                .containsExactly(25, 50);
        assertThat(studies("limit=5000").limit()).isEqualTo(1000);
        assertThat(studies("PatientID=1").limit()).isEqualTo(1000);
        assertThat(studies("PatientID=1").offset()).isZero();
    }

    @Test
    void fuzzymatchingAndAsync() {
        QidoQueryParser.ParsedQuery parsed =
                parser.parse(QidoResource.ALL_STUDIES, PathUids.NONE, query("fuzzymatching=true&async=TRUE"));

        assertThat(parsed.fuzzyMatching()).isTrue();
        assertThat(parsed.async()).isTrue();
        assertThat(parsed.toSpanQuery(1).fuzzyMatching()).isTrue();
    }

    @Test
    void everyBadValueIsNamedByItsParameterAtOnce() {
        List<FieldProblem> problems = problems(
                QidoResource.ALL_STUDIES,
                "StudyDate=20201301&StudyInstanceUID=1.2.abc&limit=-1&offset=x&fuzzymatching=maybe"
                        + "&Modality=CT&includefield=NoSuchKeyword&async=1");

        assertThat(problems)
                .extracting(FieldProblem::field)
                .containsExactly(
                        "StudyDate",
                        "StudyInstanceUID",
                        "limit",
                        "offset",
                        "fuzzymatching",
                        "Modality",
                        "includefield",
                        "async");
        assertThat(problems)
                .extracting(FieldProblem::message)
                .noneMatch(message -> message.contains("20201301") || message.contains("1.2.abc"));
    }

    @Test
    void attributesBelowTheResourceLevelAreRefused() {
        assertThat(problems(QidoResource.ALL_SERIES, "SOPInstanceUID=1.2.3"))
                .containsExactly(new FieldProblem(
                        "SOPInstanceUID",
                        "SOPInstanceUID (0008,0018) is not an attribute of the series level or above"));
        assertThat(problems(QidoResource.ALL_STUDIES, "includefield=SeriesDescription"))
                .containsExactly(new FieldProblem(
                        "includefield", "SeriesDescription (0008,103E) is not returned at the studies level"));
    }

    @Test
    void badRangesAndMalformedUidsAreRefused() {
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyDate=20200101-2020"))
                .extracting(FieldProblem::field)
                .containsExactly("StudyDate");
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyTime=2300-0100"))
                .extracting(FieldProblem::field)
                .containsExactly("StudyTime");
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyInstanceUID=1..2"))
                .extracting(FieldProblem::field)
                .containsExactly("StudyInstanceUID");
        assertThat(problems(QidoResource.ALL_STUDIES, "limit=99999999999"))
                .extracting(FieldProblem::field)
                .containsExactly("limit");
    }

    @Test
    void anAttributeGivenTwiceIsRefused() {
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientID=1&PatientID=2"))
                .extracting(FieldProblem::field)
                .containsExactly("PatientID");
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientID=1&00100020=2"))
                .containsExactly(
                        new FieldProblem("00100020", "names the same attribute as PatientID with another value"));
    }

    @Test
    void aMalformedPathUidIsRefused() {
        assertThatThrownBy(() -> parser.parse(QidoResource.STUDY_SERIES, new PathUids("1.2,3", null), Map.of()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.problems()).containsExactly(new FieldProblem("{study}", "must be one UID")));
        assertThatThrownBy(() -> parser.parse(QidoResource.STUDY_SERIES, new PathUids("x.y", null), Map.of()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.problems())
                                .extracting(FieldProblem::field)
                                .containsExactly("{study}"));
    }
}
