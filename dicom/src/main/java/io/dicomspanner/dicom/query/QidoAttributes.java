package io.dicomspanner.dicom.query;

import io.dicomspanner.dicom.data.ElementDictionary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What QIDO-RS asks of a search at each level (PS3.18 §10.6): the matching keys an origin server must support, and the
 * attributes each result carries (Tables 10.6.3-3, -4 and -5).
 *
 * <p>Result attributes come in two kinds. <em>Required</em> ones (types R and U) are in every result, empty when no
 * PACS knew them: a proxy over C-FIND cannot trust PACS to return them (many drop empty return keys, and the computed
 * ModalitiesInStudy and NumberOf* are optional in C-FIND), so it fills them rather than leave them out. <em>Conditional
 * </em> ones (type C, "shall be present if known") appear only when a source gave them: InstanceAvailability,
 * TimezoneOffsetFromUTC, and RetrieveURL, which the proxy builds itself from the record's UIDs so that it points at
 * the proxy (checklist pitfall 13). Specific Character Set, which older editions listed, is never returned: merged
 * records hold decoded text and DICOM JSON is always UTF-8.
 *
 * <p>QIDO-RS has no patient resource; asking for PATIENT is an {@link IllegalArgumentException}.
 */
public final class QidoAttributes {

    private static final Map<QueryLevel, SortedSet<Integer>> REQUIRED = new EnumMap<>(QueryLevel.class);
    private static final Map<QueryLevel, SortedSet<Integer>> CONDITIONAL = new EnumMap<>(QueryLevel.class);
    private static final Map<QueryLevel, SortedSet<Integer>> ALL = new EnumMap<>(QueryLevel.class);
    private static final Map<QueryLevel, List<AttributePath>> MATCHING = new EnumMap<>(QueryLevel.class);

    static {
        define(
                QueryLevel.STUDY,
                List.of(
                        "StudyDate",
                        "StudyTime",
                        "AccessionNumber",
                        "ModalitiesInStudy",
                        "ReferringPhysicianName",
                        "PatientName",
                        "PatientID",
                        "PatientBirthDate",
                        "PatientSex",
                        "StudyInstanceUID",
                        "StudyID",
                        "NumberOfStudyRelatedSeries",
                        "NumberOfStudyRelatedInstances"),
                List.of("InstanceAvailability", "TimezoneOffsetFromUTC", "RetrieveURL"),
                List.of(
                        "StudyDate",
                        "StudyTime",
                        "AccessionNumber",
                        "ModalitiesInStudy",
                        "ReferringPhysicianName",
                        "PatientName",
                        "PatientID",
                        "StudyInstanceUID",
                        "StudyID"));
        define(
                QueryLevel.SERIES,
                List.of("Modality", "SeriesInstanceUID", "SeriesNumber", "NumberOfSeriesRelatedInstances"),
                List.of(
                        "SeriesDescription",
                        "PerformedProcedureStepStartDate",
                        "PerformedProcedureStepStartTime",
                        "RequestAttributesSequence",
                        "TimezoneOffsetFromUTC",
                        "RetrieveURL"),
                List.of(
                        "Modality",
                        "SeriesInstanceUID",
                        "SeriesNumber",
                        "PerformedProcedureStepStartDate",
                        "PerformedProcedureStepStartTime",
                        "RequestAttributesSequence.ScheduledProcedureStepID",
                        "RequestAttributesSequence.RequestedProcedureID"));
        define(
                QueryLevel.IMAGE,
                List.of("SOPClassUID", "SOPInstanceUID", "InstanceNumber"),
                List.of(
                        "InstanceAvailability",
                        "TimezoneOffsetFromUTC",
                        "RetrieveURL",
                        "Rows",
                        "Columns",
                        "BitsAllocated",
                        "NumberOfFrames"),
                List.of("SOPClassUID", "SOPInstanceUID", "InstanceNumber"));
    }

    private QidoAttributes() {}

    /**
     * Every attribute a search result at this level carries by default, required or conditional, in tag order. The
     * keys a proxy asks each PACS to return.
     */
    public static SortedSet<Integer> responseAttributes(QueryLevel level) {
        return get(ALL, level);
    }

    /** The result attributes of type R and U: present in every result, empty if unknown. */
    public static SortedSet<Integer> requiredResponseAttributes(QueryLevel level) {
        return get(REQUIRED, level);
    }

    /** The result attributes of type C: present only when known. */
    public static SortedSet<Integer> conditionalResponseAttributes(QueryLevel level) {
        return get(CONDITIONAL, level);
    }

    /**
     * The matching keys every QIDO-RS origin server supports at this level (PS3.18 Table 10.6.1-5), in the standard's
     * order; the two series keys inside Request Attributes Sequence are nested paths. A proxy honours them even where a
     * PACS does not, by matching again locally.
     */
    public static List<AttributePath> requiredMatchingKeys(QueryLevel level) {
        return get(MATCHING, level);
    }

    private static <T> T get(Map<QueryLevel, T> table, QueryLevel level) {
        T value = table.get(level);
        if (value == null) {
            throw new IllegalArgumentException("QIDO-RS has no " + level + " resource");
        }
        return value;
    }

    private static void define(
            QueryLevel level, List<String> required, List<String> conditional, List<String> matchingKeys) {
        SortedSet<Integer> req = sortedTags(required);
        SortedSet<Integer> cond = sortedTags(conditional);
        SortedSet<Integer> all = new TreeSet<>(req);
        all.addAll(cond);
        REQUIRED.put(level, Collections.unmodifiableSortedSet(req));
        CONDITIONAL.put(level, Collections.unmodifiableSortedSet(cond));
        ALL.put(level, Collections.unmodifiableSortedSet(all));
        List<AttributePath> paths = new ArrayList<>();
        for (String dotted : matchingKeys) {
            String[] keywords = dotted.split("\\.");
            int[] tags = new int[keywords.length];
            for (int i = 0; i < keywords.length; i++) {
                tags[i] = tagOf(keywords[i]);
            }
            paths.add(AttributePath.of(tags));
        }
        MATCHING.put(level, List.copyOf(paths));
    }

    private static SortedSet<Integer> sortedTags(List<String> keywords) {
        // Every tag here is below 0x80000000, so Integer order is the unsigned order DICOM sorts by.
        SortedSet<Integer> tags = new TreeSet<>();
        for (String keyword : keywords) {
            tags.add(tagOf(keyword));
        }
        return tags;
    }

    private static int tagOf(String keyword) {
        int tag = ElementDictionary.standard().tagOf(keyword);
        if (tag == -1) {
            throw new IllegalStateException("no such keyword in the data dictionary: " + keyword);
        }
        return tag;
    }
}
