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

    private final QidoQueryParser parser = new QidoQueryParser(1000, false);

    /** Parameters as a servlet container gives them, from a query string (no percent-decoding needed here). */
    private static Map<String, List<String>> query(String queryString) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : queryString.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
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
    void keywordsAreCaseSensitiveAndUnknownParametersAreRefused() {
        String unknown = "is neither a QIDO-RS parameter nor an attribute: use a PS3.6 keyword (case-sensitive), 8 hex"
                + " digits or a dotted path of them";

        assertThat(problems(QidoResource.ALL_STUDIES, "patientid=1&FooBar=1&AccessionNumber=A1&PatientID.x=2"))
                .containsExactly(
                        new FieldProblem("patientid", unknown),
                        new FieldProblem("FooBar", unknown),
                        new FieldProblem("PatientID.x", unknown));
    }

    @Test
    void aParameterWithoutANameIsRefused() {
        assertThat(problems(QidoResource.ALL_STUDIES, "=-1&PatientID=1"))
                .containsExactly(new FieldProblem("query", "a parameter has no name"));
    }

    @Test
    void controlCharactersAreRefusedInEveryValueAndName() {
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyTime=\0"))
                .containsExactly(new FieldProblem("StudyTime", "contains a control character"));
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientName=DOE\u0085&includefield=\t&Patient\u0007ID=1"))
                .containsExactly(
                        new FieldProblem("PatientName", "contains a control character"),
                        new FieldProblem("includefield", "contains a control character"),
                        new FieldProblem("query", "a parameter name contains a control character"));
    }

    @Test
    void valuesLongerThanTheirVrAllowsAreRefused() {
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientID=" + "9".repeat(65)))
                .containsExactly(
                        new FieldProblem("PatientID", "is longer than the 64 characters a value of VR LO may have"));
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyDate=20200101-202012310"))
                .containsExactly(new FieldProblem(
                        "StudyDate", "is longer than the 17 characters a value of VR DA may have (a range)"));
        assertThat(problems(QidoResource.ALL_STUDIES, "StudyInstanceUID=1.2," + "1".repeat(65)))
                .containsExactly(new FieldProblem(
                        "StudyInstanceUID", "is longer than the 64 characters a value of VR UI may have"));
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientName=" + "9".repeat(65)))
                .containsExactly(new FieldProblem(
                        "PatientName", "has a component group longer than the 64 characters a person name's may have"));
        assertThat(studies("PatientName=" + "D".repeat(64) + "=" + "Y".repeat(64))
                        .keys())
                .containsExactly(new QueryKey("00100010", "D".repeat(64) + "=" + "Y".repeat(64)));
        assertThat(studies("PatientID=" + "9".repeat(64)).keys())
                .containsExactly(new QueryKey("00100020", "9".repeat(64)));
    }

    @Test
    void seriesAndInstanceSearchesAcrossAllStudiesNeedANarrowingKey() {
        String series = "a search for series across all studies needs a matching key that narrows it (StudyInstanceUID,"
                + " PatientID, StudyDate, ...): it would ask every PACS for all its series";
        assertThat(problems(QidoResource.ALL_SERIES, "")).containsExactly(new FieldProblem("query", series));
        assertThat(problems(QidoResource.ALL_SERIES, "PatientID=*&includefield=all&limit=5"))
                .containsExactly(new FieldProblem("query", series));
        assertThat(problems(QidoResource.ALL_INSTANCES, "Modality="))
                .containsExactly(new FieldProblem(
                        "query",
                        "a search for instances across all studies needs a matching key that narrows it"
                                + " (StudyInstanceUID, PatientID, StudyDate, ...): it would ask every PACS for all"
                                + " its instances"));

        assertThat(parse(QidoResource.ALL_SERIES, PathUids.NONE, "PatientID=12345")
                        .keys())
                .containsExactly(new QueryKey("00100020", "12345"));
        assertThat(parse(QidoResource.STUDY_SERIES, new PathUids("1.2.3", null), "")
                        .keys())
                .containsExactly(new QueryKey("0020000D", "1.2.3"));
        assertThat(new QidoQueryParser(1000, true)
                        .parse(QidoResource.ALL_INSTANCES, PathUids.NONE, query(""))
                        .keys())
                .as("spanner.qido.allow-universal-below-study")
                .isEmpty();
        assertThat(studies("").keys()).as("a study search may be universal").isEmpty();
    }

    @Test
    void emptyAndMultipleValueMatchingAreAcceptedOnlyWhenFalse() {
        assertThat(studies("PatientID=1&emptyvaluematching=false&multiplevaluematching=false")
                        .keys())
                .containsExactly(new QueryKey("00100020", "1"));
        assertThat(problems(QidoResource.ALL_STUDIES, "PatientID=1&emptyvaluematching=true&multiplevaluematching=x"))
                .containsExactly(
                        new FieldProblem(
                                "emptyvaluematching", "is not supported: only false (the default) is accepted"),
                        new FieldProblem("multiplevaluematching", "must be true or false"));
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
                QidoResource.ALL_SERIES,
                PathUids.NONE,
                "PatientID=1&includefield=RequestAttributesSequence.RequestedProcedureID");

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
    void uidsAreSpelledAsPs35SaysWithNoEmptyOneInAList() {
        String message = "must be UIDs (digits in components separated by periods, no leading zero, no empty"
                + " component), comma-separated, none empty";
        for (String bad : List.of("01.2", "1.02", "1.2,,3", "1.2,", ",1.2", "1.2.3-", "1.2 .3")) {
            assertThat(problems(QidoResource.ALL_STUDIES, "StudyInstanceUID=" + bad))
                    .as(bad)
                    .containsExactly(new FieldProblem("StudyInstanceUID", message));
        }
        assertThat(studies("StudyInstanceUID=0.1.20,1.2.840.10008").keys())
                .containsExactly(new QueryKey("0020000D", "0.1.20\\1.2.840.10008"));
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
