package io.dicomspanner.gateway.console;

import java.util.ArrayList;
import java.util.List;

/**
 * A result table as CSV (RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line break quoted
 * with its quotes doubled): the table's columns, the PACS holding each record (AE titles separated by spaces), then
 * the UIDs of the record and the levels above it that the table does not show. A cell that a spreadsheet would take
 * for a formula ({@code = + - @}, tab, carriage return first) gets a leading {@code '}.
 */
final class AnswerCsv {

    private AnswerCsv() {}

    static String of(ConsoleAnswers.Answer answer) {
        StringBuilder csv = new StringBuilder();
        List<String> header = new ArrayList<>();
        answer.columns().forEach(column -> header.add(column.heading()));
        header.add("PACS");
        header.addAll(
                switch (answer.level()) {
                    case "studies" -> List.of("Study Instance UID");
                    case "series" -> List.of("Study Instance UID");
                    default -> List.of("Study Instance UID", "Series Instance UID");
                });
        line(csv, header);
        for (ConsoleAnswers.Row row : answer.rows()) {
            List<String> fields = new ArrayList<>(row.cells());
            fields.add(String.join(" ", row.pacs()));
            fields.add(row.studyUid());
            if (answer.level().equals("instances")) {
                fields.add(row.seriesUid());
            }
            line(csv, fields);
        }
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(field(fields.get(i)));
        }
        csv.append("\r\n");
    }

    static String field(String value) {
        String v = value == null ? "" : value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
