package io.dicomspanner.gateway.console;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.source.DicomSourceRequest;
import io.dicomspanner.gateway.source.DicomSourceResponse;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The console's form of a DIMSE source, as typed: every value a string, so that what was typed is shown again beside
 * what is wrong with it. {@link #toRequest} makes it the admin API's {@link DicomSourceRequest}, which the API's own
 * validation then checks; only what a form cannot type as JSON (a number, a list) is parsed here.
 *
 * @param tls and the other switches: {@code "true"} when ticked, absent when not
 * @param informationModels {@code study_root} and/or {@code patient_root}
 * @param unmatchedKeys matching keywords separated by commas or spaces
 * @param tags labels separated by commas or spaces
 */
public record SourceForm(
        String name,
        String aeTitle,
        String host,
        String port,
        String callingAeTitle,
        String tls,
        String tlsVerifyHostname,
        String maxAssociations,
        String queryTimeoutSeconds,
        List<String> informationModels,
        String relationalQueries,
        String unmatchedKeys,
        String location,
        String tags,
        String enabled) {

    private static final String TICKED = "true";

    /** A text field of the form: its name (as bound), its label, what it takes. */
    public record Field(String name, String label, String hint) {}

    /** The text fields, in the order the form shows them. */
    static final List<Field> TEXT_FIELDS = List.of(
            new Field("name", "Name", "Unique, at most 128 characters"),
            new Field("aeTitle", "AE title", "The PACS's AE title: at most 16 characters, no backslash"),
            new Field("host", "Host", "Host name or IP address"),
            new Field("port", "Port", "1 to 65535"),
            new Field("callingAeTitle", "Calling AE title", "The spanner's AE title towards this PACS"),
            new Field("maxAssociations", "Max associations", "Open associations to it, fleet-wide: 1 to 64"),
            new Field("queryTimeoutSeconds", "Query timeout (s)", "1 to 3600"),
            new Field("unmatchedKeys", "Unmatched keys", "Matching keys it ignores, by keyword, comma-separated"),
            new Field("location", "Location", "Its site; optional"),
            new Field("tags", "Tags", "Labels, comma-separated; optional"));

    /** A new source's form: the API's defaults filled in. */
    static SourceForm empty() {
        return new SourceForm(
                "", "", "", "", "SPANNER", null, TICKED, "4", "30", List.of("study_root"), null, "", "", "", TICKED);
    }

    /** The form of a registered DIMSE source, as it is. */
    static SourceForm of(DicomSourceResponse source) {
        return new SourceForm(
                source.name(),
                source.aeTitle(),
                source.host(),
                Integer.toString(source.port()),
                source.callingAeTitle(),
                ticked(source.tls()),
                ticked(source.tlsVerifyHostname()),
                Integer.toString(source.maxAssociations()),
                Integer.toString(source.queryTimeoutSeconds()),
                source.informationModels().stream().map(WireEnum::wireOf).toList(),
                ticked(source.relationalQueries()),
                String.join(", ", source.unmatchedKeys()),
                source.location() == null ? "" : source.location(),
                String.join(", ", source.tags()),
                ticked(source.enabled()));
    }

    /** The same form, enabled or disabled. */
    SourceForm withEnabled(boolean on) {
        return new SourceForm(
                name,
                aeTitle,
                host,
                port,
                callingAeTitle,
                tls,
                tlsVerifyHostname,
                maxAssociations,
                queryTimeoutSeconds,
                informationModels,
                relationalQueries,
                unmatchedKeys,
                location,
                tags,
                ticked(on));
    }

    public boolean isTicked(String value) {
        return TICKED.equals(value);
    }

    public boolean hasModel(String model) {
        return informationModels != null && informationModels.contains(model);
    }

    /**
     * The admin API's request this form stands for; a number that is not one is added to {@code problems} (by form
     * field) and sent as absent, so that the API's validation reports the other fields too.
     */
    DicomSourceRequest toRequest(Map<String, String> problems) {
        return new DicomSourceRequest(
                name == null ? "" : name,
                aeTitle == null ? "" : aeTitle,
                blankToNull(host),
                number("port", port, problems),
                blankToNull(callingAeTitle),
                TICKED.equals(tls),
                TICKED.equals(tlsVerifyHostname),
                number("maxAssociations", maxAssociations, problems),
                number("queryTimeoutSeconds", queryTimeoutSeconds, problems),
                informationModels == null ? List.of() : informationModels,
                TICKED.equals(relationalQueries),
                words(unmatchedKeys),
                TICKED.equals(enabled),
                blankToNull(location),
                words(tags),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
    }

    /** The form fields by name, for a template that shows them in a loop. */
    public Map<String, String> values() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("name", name);
        values.put("aeTitle", aeTitle);
        values.put("host", host);
        values.put("port", port);
        values.put("callingAeTitle", callingAeTitle);
        values.put("maxAssociations", maxAssociations);
        values.put("queryTimeoutSeconds", queryTimeoutSeconds);
        values.put("unmatchedKeys", unmatchedKeys);
        values.put("location", location);
        values.put("tags", tags);
        return values;
    }

    private static String ticked(boolean on) {
        return on ? TICKED : null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static Integer number(String field, String value, Map<String, String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            problems.put(field, "must be a whole number");
            return null;
        }
    }

    private static List<String> words(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        return Arrays.stream(value.strip().split("[,\\s]+"))
                .filter(word -> !word.isEmpty())
                .toList();
    }
}
