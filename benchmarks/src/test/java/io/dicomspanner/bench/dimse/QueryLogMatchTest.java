package io.dicomspanner.bench.dimse;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.bench.load.Gateway.LoggedQuery;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryLogMatchTest {

    private static LoggedQuery entry(String id, String studyDate) {
        return new LoggedQuery(
                id,
                Instant.parse("2026-11-28T01:10:00Z"),
                Map.of("PatientID", "phi1:4f2a", "StudyDate", studyDate, "QueryRetrieveLevel", "STUDY"));
    }

    @Test
    void theEntryWithTheQuerysRunTagIsTheQuery() {
        List<LoggedQuery> samePatient = List.of(
                entry("0b7c7c1e-0000-4000-8000-000000000001", "19000101-20300105"),
                entry("0b7c7c1e-0000-4000-8000-000000000002", "19000101-20300106"));

        assertThat(QueryLogMatch.queryId(samePatient, "19000101-20300106"))
                .contains("0b7c7c1e-0000-4000-8000-000000000002");
    }

    @Test
    void noEntryWithTheRunTagMapsToNothing() {
        assertThat(QueryLogMatch.queryId(List.of(entry("a", "19000101-20300105")), "19000101-20300107"))
                .isEmpty();
        assertThat(QueryLogMatch.queryId(List.of(), "19000101-20300107")).isEmpty();
    }

    @Test
    void twoEntriesWithTheSameRunTagAreNotGuessedBetween() {
        List<LoggedQuery> twice = List.of(entry("a", "19000101-20300105"), entry("b", "19000101-20300105"));

        assertThat(QueryLogMatch.queryId(twice, "19000101-20300105")).isEmpty();
    }

    @Test
    void anEntryWithoutAStudyDateFilterIsNotTheQuery() {
        LoggedQuery noDate = new LoggedQuery("a", Instant.EPOCH, Map.of("PatientID", "phi1:4f2a"));

        assertThat(QueryLogMatch.queryId(List.of(noDate), "19000101-20300105")).isEmpty();
    }
}
