package io.dicomspanner.gateway.console;

import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.QueryStatus.SourceStatus;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.gateway.span.QueryStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The state and the answer of a console user's query, as its status page and result tables show them. A user sees
 * the queries its key asked (an admin key: any), as {@code /queries/{id}} shows them; any other is unknown.
 */
@Component
public class ConsoleAnswers {

    /** One PACS's part in a query as the watch panel shows it. */
    public record SourceView(String name, String aeTitle, String state, String detail) {}

    /** A query's state as the watch panel shows it. */
    public record StatusView(
            String queryId,
            String state,
            boolean ended,
            boolean hasResults,
            List<SourceView> sources,
            List<String> notAnswered,
            int matches,
            int conflictingCopies) {}

    /** A column of a result table: its heading and the attribute it shows. */
    public record Column(String heading, String keyword, int tag) {
        static Column of(String heading, String keyword) {
            return new Column(heading, keyword, ElementDictionary.standard().tagOf(keyword));
        }
    }

    /**
     * A row: its cells in column order, the UIDs a drill-down needs, the PACS that hold it, and when its copies on
     * several PACS disagree on Patient ID, a note naming them ({@code null} otherwise).
     */
    public record Row(
            String studyUid,
            String seriesUid,
            String sopInstanceUid,
            List<String> cells,
            List<String> pacs,
            String conflict) {}

    /** A page of an answer. */
    public record Page(
            String queryId,
            String level,
            List<Column> columns,
            List<Row> rows,
            int first,
            int last,
            int total,
            Integer previousOffset,
            Integer nextOffset,
            RowOrder order) {}

    /** A whole answer, in the order asked. */
    public record Answer(String level, List<Column> columns, List<Row> rows, RowOrder order) {}

    static final List<Column> STUDY_COLUMNS = List.of(
            Column.of("Patient Name", "PatientName"),
            Column.of("Patient ID", "PatientID"),
            Column.of("Birth Date", "PatientBirthDate"),
            Column.of("Study Date", "StudyDate"),
            Column.of("Modalities", "ModalitiesInStudy"),
            Column.of("Accession", "AccessionNumber"),
            Column.of("Description", "StudyDescription"),
            Column.of("# Series", "NumberOfStudyRelatedSeries"),
            Column.of("# Instances", "NumberOfStudyRelatedInstances"));

    static final List<Column> SERIES_COLUMNS = List.of(
            Column.of("Modality", "Modality"),
            Column.of("Series #", "SeriesNumber"),
            Column.of("Description", "SeriesDescription"),
            Column.of("# Instances", "NumberOfSeriesRelatedInstances"),
            Column.of("Series Instance UID", "SeriesInstanceUID"));

    static final List<Column> INSTANCE_COLUMNS = List.of(
            Column.of("Instance #", "InstanceNumber"),
            Column.of("SOP Instance UID", "SOPInstanceUID"),
            Column.of("SOP Class UID", "SOPClassUID"));

    private final QueryStore store;
    private final DicomJsonReader reader = new DicomJsonReader();
    private final int pageSize;

    ConsoleAnswers(QueryStore store, ConsoleProperties properties) {
        this.store = store;
        this.pageSize = properties.pageSize();
    }

    /** The status of a query the user may read; empty for an unknown, expired or foreign one, or a malformed id. */
    Optional<QueryStatus> status(ConsoleUser user, String queryId) {
        if (!isQueryId(queryId)) {
            return Optional.empty();
        }
        return store.askedQuery(queryId)
                .filter(asked -> user.isAdmin() || Long.valueOf(user.keyId()).equals(asked.askerKeyId()))
                .map(QueryStore.AskedQuery::status);
    }

    StatusView view(QueryStatus status) {
        List<SourceView> sources = new ArrayList<>();
        List<String> notAnswered = new ArrayList<>();
        for (SourceStatus source : status.sources()) {
            sources.add(new SourceView(source.name(), source.aeTitle(), stateOf(source), detailOf(source)));
            if (source.state().isFinal() && !source.state().isSuccess()) {
                notAnswered.add(source.name() + " (" + stateOf(source) + ")");
            }
        }
        boolean ended = status.state().isFinal();
        boolean hasResults = status.state() == QueryState.COMPLETE || status.state() == QueryState.PARTIAL;
        return new StatusView(
                status.queryId(),
                status.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                ended,
                hasResults,
                sources,
                notAnswered,
                status.matchesAfterDeduplication(),
                status.conflictingCopies());
    }

    private static String stateOf(SourceStatus source) {
        return switch (source.state()) {
            case RUNNING -> source.matches() == 0 && source.latencyMillis() == null ? "queued" : "running";
            case SUCCESS -> "done";
            case FAILED_STATUS, CONNECTION_FAILED, REFUSED -> "failed";
            case TIMEOUT -> "timed out";
            case CIRCUIT_OPEN -> "circuit open";
            case CANCELLED -> "cancelled";
        };
    }

    private static String detailOf(SourceStatus source) {
        return switch (source.state()) {
            case RUNNING -> source.matches() == 0 ? "" : source.matches() + " matches so far";
            case SUCCESS ->
                source.matches()
                        + (source.matches() == 1 ? " match" : " matches")
                        + (source.latencyMillis() == null ? "" : " in " + source.latencyMillis() + " ms");
            case FAILED_STATUS, CONNECTION_FAILED, REFUSED ->
                source.state().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + (source.error() == null ? "" : ": " + source.error());
            case TIMEOUT -> "no answer before the deadline" + (source.error() == null ? "" : ": " + source.error());
            case CIRCUIT_OPEN -> "not asked: it failed repeatedly";
            case CANCELLED -> "stopped";
        };
    }

    /**
     * A page of a query's answer from {@code offset}, in the answer's order; empty when the query is not the user's,
     * has not ended with results, or its results are no longer kept.
     */
    Optional<Page> page(ConsoleUser user, String queryId, int offset) {
        return page(user, queryId, offset, RowOrder.NONE);
    }

    /** A page of a query's answer from {@code offset}, the whole answer sorted by {@code order} first. */
    Optional<Page> page(ConsoleUser user, String queryId, int offset, RowOrder order) {
        Optional<Answer> answer = answer(user, queryId, order);
        if (answer.isEmpty()) {
            return Optional.empty();
        }
        List<Row> all = answer.get().rows();
        int total = all.size();
        int from = Math.max(0, Math.min(offset, Math.max(0, total - 1)));
        int to = Math.min(total, from + pageSize);
        return Optional.of(new Page(
                queryId,
                answer.get().level(),
                answer.get().columns(),
                all.subList(from, to),
                total == 0 ? 0 : from + 1,
                to,
                total,
                from > 0 ? Math.max(0, from - pageSize) : null,
                to < total ? to : null,
                answer.get().order()));
    }

    /**
     * The whole answer of a query (at most {@code spanner.qido.max-limit} records: what a query keeps), sorted by
     * {@code order}; empty as for {@link #page}.
     */
    Optional<Answer> answer(ConsoleUser user, String queryId, RowOrder order) {
        Optional<QueryStatus> status = status(user, queryId);
        if (status.isEmpty() || !view(status.get()).hasResults()) {
            return Optional.empty();
        }
        Optional<String> result = store.result(queryId);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        List<Attributes> records = reader.readList(result.get());
        String level = status.get().level().toUpperCase(Locale.ROOT);
        List<Column> columns = switch (level) {
            case "SERIES" -> SERIES_COLUMNS;
            case "IMAGE" -> INSTANCE_COLUMNS;
            default -> STUDY_COLUMNS;
        };
        Map<String, String> conflicts =
                conflictNotes(store.conflicts(queryId), status.get().sources());
        List<Row> rows = new ArrayList<>();
        for (Attributes record : records) {
            List<String> cells = new ArrayList<>();
            for (Column column : columns) {
                cells.add(cell(record, column.tag()));
            }
            String[] aeTitles = record.getStrings(Tag.RETRIEVE_AE_TITLE);
            rows.add(new Row(
                    record.getString(Tag.STUDY_INSTANCE_UID),
                    record.getString(Tag.SERIES_INSTANCE_UID),
                    record.getString(Tag.SOP_INSTANCE_UID),
                    cells,
                    aeTitles == null ? List.of() : List.of(aeTitles),
                    conflicts.get(uniqueKey(level, record))));
        }
        RowOrder applied = order.of(columns);
        applied.sort(columns, rows);
        return Optional.of(new Answer(
                level.equals("IMAGE") ? "instances" : level.equals("SERIES") ? "series" : "studies",
                columns,
                rows,
                applied));
    }

    /** The unique key of a record at {@code level} (STUDY, SERIES, IMAGE): the key its copies are merged by. */
    static String uniqueKey(String level, Attributes record) {
        return switch (level) {
            case "SERIES" -> record.getString(Tag.SERIES_INSTANCE_UID);
            case "IMAGE" -> record.getString(Tag.SOP_INSTANCE_UID);
            default -> record.getString(Tag.STUDY_INSTANCE_UID);
        };
    }

    /**
     * The note of each record whose copies disagree on Patient ID, by unique key: it names the PACS holding a copy, by
     * their names in the query's status ({@code sources}), by id for a source the status does not name.
     */
    static Map<String, String> conflictNotes(List<ConflictingCopies> conflicts, List<SourceStatus> sources) {
        Map<String, String> names = new HashMap<>();
        for (SourceStatus source : sources) {
            names.put(Long.toString(source.sourceId()), source.name());
        }
        Map<String, String> notes = new HashMap<>();
        for (ConflictingCopies conflict : conflicts) {
            List<String> holders = new ArrayList<>();
            for (String id : conflict.sourceIds()) {
                holders.add(names.getOrDefault(id, "source " + id));
            }
            notes.put(conflict.uniqueKey(), "The copies on " + String.join(", ", holders) + " disagree on Patient ID");
        }
        return notes;
    }

    private static String cell(Attributes record, int tag) {
        String[] values = record.getStrings(tag);
        if (values == null || values.length == 0) {
            return "";
        }
        if (tag == Tag.PATIENT_BIRTH_DATE || tag == Tag.STUDY_DATE) {
            return date(values[0]);
        }
        return String.join(", ", values);
    }

    private static String date(String value) {
        return value != null && value.matches("[0-9]{8}")
                ? value.substring(0, 4) + "-" + value.substring(4, 6) + "-" + value.substring(6)
                : value == null ? "" : value;
    }

    static boolean isQueryId(String id) {
        try {
            return id != null && UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
