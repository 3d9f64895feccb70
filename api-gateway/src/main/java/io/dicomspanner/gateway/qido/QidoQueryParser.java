package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.KeyValidator;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns the query parameters of a QIDO-RS search (PS3.18 §8.3.4, §10.6.1.2) into a {@link SpanQuery}, checking every
 * value before anything is sent anywhere. Every problem found is reported at once, each named by its parameter; the
 * messages never repeat a value (it may be a PatientID).
 *
 * <p>Strict where a mistake would widen the search: a parameter that is neither a QIDO-RS parameter nor an attribute
 * (keyword, tag or dotted path) is refused, since a misspelt key ignored would turn into a universal query across
 * every PACS of the config; so is a value with a control character or longer than its VR allows (PS3.5 §6.2), and a
 * series or instance search across all studies without any matching key unless
 * {@code spanner.qido.allow-universal-below-study} is set. Liberal where clients differ (checklist pitfall 11): empty
 * {@code includefield} values are ignored, {@code includefield} may be repeated and comma-separated, and
 * {@code emptyvaluematching} / {@code multiplevaluematching} are accepted when {@code false} (what this gateway does).
 * Commas separate values only for UI (UID list matching) and CS (whose values cannot contain a comma), so
 * {@code ModalitiesInStudy=CT,MR} means either modality.
 */
public final class QidoQueryParser {

    public static final String INCLUDE_FIELD = "includefield";
    public static final String FUZZY_MATCHING = "fuzzymatching";
    public static final String LIMIT = "limit";
    public static final String OFFSET = "offset";
    public static final String CONFIG_ID = "spanner_config_id";
    public static final String ASYNC = "async";
    public static final String EMPTY_VALUE_MATCHING = "emptyvaluematching";
    public static final String MULTIPLE_VALUE_MATCHING = "multiplevaluematching";

    /** The field a problem of the query as a whole is reported under. */
    public static final String QUERY = QidoQueryString.QUERY;

    /**
     * Longest value of each VR a matching key may hold (PS3.5 Table 6.2-1), per value of a multi-valued key; a range
     * of DA, DT or TM may hold two. VRs without a limit of their own (UC, UR, UT) are bounded by the request line
     * ({@code server.max-http-request-header-size}).
     */
    private static final Map<VR, Integer> MAX_VALUE_LENGTH = Map.ofEntries(
            Map.entry(VR.AE, 16),
            Map.entry(VR.AS, 4),
            Map.entry(VR.CS, 16),
            Map.entry(VR.DA, 8),
            Map.entry(VR.DS, 16),
            Map.entry(VR.DT, 26),
            Map.entry(VR.IS, 12),
            Map.entry(VR.LO, 64),
            Map.entry(VR.LT, 10240),
            Map.entry(VR.PN, 3 * 64 + 2),
            Map.entry(VR.SH, 16),
            Map.entry(VR.ST, 1024),
            Map.entry(VR.TM, 14),
            Map.entry(VR.UI, 64));

    private static final ElementDictionary DICTIONARY = ElementDictionary.standard();

    private final int maxLimit;
    private final boolean allowUniversalBelowStudy;

    /**
     * @param maxLimit results returned at most, whatever {@code limit} asks ({@code spanner.qido.max-limit})
     * @param allowUniversalBelowStudy whether a series or instance search across all studies may have no matching key
     *     ({@code spanner.qido.allow-universal-below-study})
     */
    public QidoQueryParser(int maxLimit, boolean allowUniversalBelowStudy) {
        if (maxLimit < 1) {
            throw new IllegalArgumentException("max limit must be at least 1");
        }
        this.maxLimit = maxLimit;
        this.allowUniversalBelowStudy = allowUniversalBelowStudy;
    }

    /** UIDs the request path fixes: {@code /studies/{study}/...}, {@code .../series/{series}/...}. */
    public record PathUids(String studyInstanceUid, String seriesInstanceUid) {
        public static final PathUids NONE = new PathUids(null, null);
    }

    /** What the request asked, before a config id is attached. */
    public record ParsedQuery(
            QidoResource resource,
            List<QueryKey> keys,
            List<String> returnKeys,
            boolean includeAll,
            boolean fuzzyMatching,
            int limit,
            int offset,
            boolean async) {

        public SpanQuery toSpanQuery(long configId) {
            return new SpanQuery(
                    configId, resource.level(), resource, keys, returnKeys, includeAll, fuzzyMatching, limit, offset);
        }
    }

    /**
     * @param parameters every query parameter with all its values, in request order ({@code spanner_config_id} is
     *     read by the caller and skipped here)
     * @throws InvalidRequestException naming each bad parameter
     */
    public ParsedQuery parse(QidoResource resource, PathUids pathUids, Map<String, List<String>> parameters) {
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        Map<String, QueryKey> keys = new LinkedHashMap<>();
        Map<String, String> keyParameter = new HashMap<>();
        Set<String> returnKeys = new TreeSet<>();
        boolean includeAll = false;
        boolean fuzzy = false;
        Integer limit = null;
        int offset = 0;
        boolean async = false;

        addPathKey(Tag.STUDY_INSTANCE_UID, pathUids.studyInstanceUid(), "study", keys, keyParameter, problems);
        addPathKey(Tag.SERIES_INSTANCE_UID, pathUids.seriesInstanceUid(), "series", keys, keyParameter, problems);

        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            String name = parameter.getKey();
            List<String> values = parameter.getValue();
            if (name == null || name.isEmpty()) {
                problems.add(QUERY, "a parameter has no name");
                continue;
            }
            if (name.equals(CONFIG_ID)) {
                continue;
            }
            if (hasControlCharacter(name)) {
                problems.add(QUERY, "a parameter name contains a control character");
                continue;
            }
            if (values.stream().anyMatch(QidoQueryParser::hasControlCharacter)) {
                problems.add(name, "contains a control character");
                continue;
            }
            switch (name) {
                case INCLUDE_FIELD -> {
                    for (String value : values) {
                        for (String field : value.split(",", -1)) {
                            String trimmed = field.strip();
                            if (trimmed.isEmpty()) {
                                continue;
                            }
                            if (trimmed.equals("all")) {
                                includeAll = true;
                                continue;
                            }
                            int[] path = resolvePath(trimmed);
                            if (path == null) {
                                problems.add(INCLUDE_FIELD, "names no attribute: use a keyword, 8 hex digits or all");
                            } else if (!AttributeLevels.isAllowedAt(path[0], resource.level())) {
                                problems.add(
                                        INCLUDE_FIELD,
                                        describe(path[0]) + " is not returned at the " + levelName(resource)
                                                + " level");
                            } else {
                                // Results carry whole top-level attributes: a nested field returns its sequence.
                                returnKeys.add(hex(path[0]));
                            }
                        }
                    }
                }
                case FUZZY_MATCHING -> {
                    Boolean parsed =
                            single(name, values, problems) == null ? null : parseBoolean(name, values.get(0), problems);
                    fuzzy = Boolean.TRUE.equals(parsed);
                }
                case ASYNC -> {
                    Boolean parsed =
                            single(name, values, problems) == null ? null : parseBoolean(name, values.get(0), problems);
                    async = Boolean.TRUE.equals(parsed);
                }
                case LIMIT -> {
                    if (single(name, values, problems) != null) {
                        limit = parseUnsigned(name, values.get(0), problems);
                    }
                }
                case OFFSET -> {
                    if (single(name, values, problems) != null) {
                        Integer parsed = parseUnsigned(name, values.get(0), problems);
                        offset = parsed == null ? 0 : parsed;
                    }
                }
                case EMPTY_VALUE_MATCHING, MULTIPLE_VALUE_MATCHING -> {
                    Boolean parsed =
                            single(name, values, problems) == null ? null : parseBoolean(name, values.get(0), problems);
                    if (Boolean.TRUE.equals(parsed)) {
                        problems.add(name, "is not supported: only false (the default) is accepted");
                    }
                }
                default -> addAttributeKey(resource, name, values, keys, keyParameter, problems);
            }
        }
        if (problems.isEmpty()
                && !allowUniversalBelowStudy
                && resource.level() != QueryLevel.STUDY
                && pathUids.studyInstanceUid() == null
                && keys.values().stream().allMatch(key -> isUniversal(key.value()))) {
            problems.add(
                    QUERY,
                    "a search for " + levelName(resource) + " across all studies needs a matching key that narrows it"
                            + " (StudyInstanceUID, PatientID, StudyDate, ...): it would ask every PACS for all its "
                            + levelName(resource));
        }
        problems.throwIfAny();
        int effectiveLimit = limit == null ? maxLimit : Math.min(limit, maxLimit);
        return new ParsedQuery(
                resource,
                List.copyOf(keys.values()),
                List.copyOf(returnKeys),
                includeAll,
                fuzzy,
                effectiveLimit,
                offset,
                async);
    }

    private void addPathKey(
            int tag,
            String uid,
            String segment,
            Map<String, QueryKey> keys,
            Map<String, String> keyParameter,
            InvalidRequestException.Collector problems) {
        if (uid == null) {
            return;
        }
        String field = "{" + segment + "}";
        if (uid.isEmpty() || uid.indexOf(',') >= 0 || uid.indexOf('\\') >= 0) {
            problems.add(field, "must be one UID");
            return;
        }
        try {
            KeyValidator.validate(tag, VR.UI, uid);
        } catch (InvalidMatchingKeyException e) {
            problems.add(field, e.getMessage());
            return;
        }
        keys.put(hex(tag), new QueryKey(hex(tag), uid));
        keyParameter.put(hex(tag), field);
    }

    private void addAttributeKey(
            QidoResource resource,
            String name,
            List<String> values,
            Map<String, QueryKey> keys,
            Map<String, String> keyParameter,
            InvalidRequestException.Collector problems) {
        int[] path = resolvePath(name);
        if (path == null) {
            problems.add(
                    name,
                    "is neither a QIDO-RS parameter nor an attribute: use a PS3.6 keyword (case-sensitive), 8 hex"
                            + " digits or a dotted path of them");
            return;
        }
        if (!AttributeLevels.isAllowedAt(path[0], resource.level())) {
            problems.add(
                    name, describe(path[0]) + " is not an attribute of the " + levelName(resource) + " level or above");
            return;
        }
        for (int i = 0; i < path.length - 1; i++) {
            if (DICTIONARY.vrOf(path[i]) != VR.SQ) {
                problems.add(name, describe(path[i]) + " is not a sequence; only sequences take a dotted path");
                return;
            }
        }
        if (values.size() != 1) {
            problems.add(name, "must be given once (one value per attribute; UIDs as a comma-separated list)");
            return;
        }
        int leaf = path[path.length - 1];
        VR vr = DICTIONARY.vrOf(leaf);
        String value = values.get(0);
        if (vr == VR.UI || vr == VR.CS) {
            value = value.replace(',', '\\');
        }
        if (vr == VR.SQ && !value.isEmpty()) {
            problems.add(name, describe(leaf) + " is a sequence: match the attributes of its item instead");
            return;
        }
        String tooLong = tooLong(vr, value);
        if (tooLong != null) {
            problems.add(name, tooLong);
            return;
        }
        if (vr == VR.UI && !value.isEmpty() && !isUidList(value)) {
            problems.add(
                    name,
                    "must be UIDs (digits in components separated by periods, no leading zero, no empty component),"
                            + " comma-separated, none empty");
            return;
        }
        if (vr != VR.SQ) {
            try {
                KeyValidator.validate(leaf, vr, value);
            } catch (InvalidMatchingKeyException e) {
                problems.add(name, e.getMessage());
                return;
            }
        }
        String keyPath = pathText(path);
        String earlier = keyParameter.get(keyPath);
        if (earlier != null) {
            QueryKey existing = keys.get(keyPath);
            if (!existing.value().equals(value)) {
                problems.add(name, "names the same attribute as " + earlier + " with another value");
            }
            return;
        }
        keys.put(keyPath, new QueryKey(keyPath, value));
        keyParameter.put(keyPath, name);
    }

    /** ISO control characters (C0, DEL, C1): no VR a QIDO-RS search can match allows them in a key. */
    static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static final int PN_COMPONENT_GROUP_LENGTH = 64;

    /** Why a value is longer than its VR allows, or {@code null}. */
    private static String tooLong(VR vr, String value) {
        Integer max = MAX_VALUE_LENGTH.get(vr);
        if (max == null) {
            return null;
        }
        boolean range = vr == VR.DA || vr == VR.DT || vr == VR.TM;
        int allowed = range ? 2 * max + 1 : max;
        String[] values = vr.isSingleValuedText() ? new String[] {value} : value.split("\\\\", -1);
        for (String one : values) {
            if (one.length() > allowed) {
                return "is longer than the " + allowed + " characters a value of VR " + vr + " may have"
                        + (range ? " (a range)" : "");
            }
            if (vr == VR.PN) {
                // up to three component groups (alphabetic=ideographic=phonetic), each at most 64 characters
                for (String group : one.split("=", -1)) {
                    if (group.length() > PN_COMPONENT_GROUP_LENGTH) {
                        return "has a component group longer than the " + PN_COMPONENT_GROUP_LENGTH
                                + " characters a person name's may have";
                    }
                }
            }
        }
        return null;
    }

    /** One UID or several separated by backslashes, each as PS3.5 §9.1 spells it: {@code 1.2.840.10008}. */
    private static boolean isUidList(String value) {
        for (String uid : value.split("\\\\", -1)) {
            if (!UID.matcher(uid).matches()) {
                return false;
            }
        }
        return true;
    }

    private static final java.util.regex.Pattern UID =
            java.util.regex.Pattern.compile("(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*))*");

    /** Matches everything: empty, or only {@code *} wildcards (PS3.4 C.2.2.2.3). */
    private static boolean isUniversal(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '*' && c != '\\' && !Character.isWhitespace(c)) {
                return false;
            }
        }
        return true;
    }

    /** The tags of a keyword, an 8-hex tag or a dotted path of them; {@code null} if any part names nothing. */
    static int[] resolvePath(String name) {
        String[] parts = name.split("\\.", -1);
        int[] tags = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            int tag = resolveTag(parts[i]);
            if (tag == -1) {
                return null;
            }
            tags[i] = tag;
        }
        return tags;
    }

    private static int resolveTag(String part) {
        if (part.length() == 8 && part.chars().allMatch(QidoQueryParser::isHexDigit)) {
            return (int) Long.parseLong(part, 16);
        }
        return DICTIONARY.tagOf(part);
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
    }

    private static String pathText(int[] tags) {
        StringBuilder text = new StringBuilder();
        for (int tag : tags) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(hex(tag));
        }
        return text.toString();
    }

    static String hex(int tag) {
        return String.format(Locale.ROOT, "%08X", tag);
    }

    private static String describe(int tag) {
        String keyword = DICTIONARY.keywordOf(tag);
        return keyword != null ? keyword + " " + Tag.toString(tag) : Tag.toString(tag);
    }

    private static String levelName(QidoResource resource) {
        return resource.level().qidoName();
    }

    private static String single(String name, List<String> values, InvalidRequestException.Collector problems) {
        if (values.size() != 1) {
            problems.add(name, "must be given once");
            return null;
        }
        return values.get(0);
    }

    private static Boolean parseBoolean(String name, String value, InvalidRequestException.Collector problems) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(name, "must be true or false");
                yield null;
            }
        };
    }

    private static Integer parseUnsigned(String name, String value, InvalidRequestException.Collector problems) {
        String digits = value.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            problems.add(name, "must be an unsigned integer");
            return null;
        }
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            problems.add(name, "must be at most " + Integer.MAX_VALUE);
            return null;
        }
    }
}
