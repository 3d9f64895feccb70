package io.dicomspanner.coordinator.merge;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The strategies' rules for turning the copies of one record into one result; the MERGE_ALL rules and their reasons
 * are documented on {@link DeduplicationStrategy#MERGE_ALL}. Copies arrive here best-ranked first.
 */
final class RecordMerger {

    private static final int[] COUNTS = {
        Tag.NUMBER_OF_PATIENT_RELATED_STUDIES,
        Tag.NUMBER_OF_PATIENT_RELATED_SERIES,
        Tag.NUMBER_OF_PATIENT_RELATED_INSTANCES,
        Tag.NUMBER_OF_STUDY_RELATED_SERIES,
        Tag.NUMBER_OF_STUDY_RELATED_INSTANCES,
        Tag.NUMBER_OF_SERIES_RELATED_INSTANCES
    };

    /** IS holds at most 12 characters; 18 digits still fit a long, so nothing larger is read as a count. */
    private static final int MAX_COUNT_DIGITS = 18;

    /** Instance Availability (0008,0056) defined terms, best first. */
    private static final List<String> AVAILABILITY_ORDER = List.of("ONLINE", "NEARLINE", "OFFLINE", "UNAVAILABLE");

    /** Attributes that describe the answer rather than the entity, so they make no copy more complete. */
    private static final Set<Integer> NOT_COUNTED_FOR_COMPLETENESS =
            Set.of(Tag.RETRIEVE_AE_TITLE, Tag.QUERY_RETRIEVE_LEVEL, Tag.RETRIEVE_URL, Tag.SPECIFIC_CHARACTER_SET);

    private RecordMerger() {}

    /**
     * How complete a copy is for {@link DeduplicationStrategy#MOST_COMPLETE}: its non-empty attributes of the query's
     * level and above. Attributes of lower levels, which some PACS add unasked, and attributes describing the answer
     * do not count, so extra noise never outweighs real content.
     */
    static int completeness(Attributes record, QueryLevel level) {
        int n = 0;
        for (int i = 0; i < record.size(); i++) {
            int tag = record.tagAt(i);
            if (!NOT_COUNTED_FOR_COMPLETENESS.contains(tag)
                    && !Tag.isPrivate(tag)
                    && AttributeLevels.isAllowedAt(tag, level)
                    && !record.isEmptyValue(tag)) {
                n++;
            }
        }
        return n;
    }

    /** The union of {@code copies} (best-ranked first) under the MERGE_ALL rules. */
    static Attributes mergeAll(List<Attributes> copies) {
        Attributes merged = Attributes.copyOf(copies.get(0));
        if (copies.size() == 1) {
            return merged;
        }
        for (int c = 1; c < copies.size(); c++) {
            Attributes copy = copies.get(c);
            for (int i = 0; i < copy.size(); i++) {
                int tag = copy.tagAt(i);
                if (!merged.contains(tag) || (merged.isEmptyValue(tag) && !copy.isEmptyValue(tag))) {
                    merged.copyFrom(copy, tag);
                }
            }
        }
        unionOfModalities(copies, merged);
        maximumCounts(copies, merged);
        bestAvailability(copies, merged);
        return merged;
    }

    private static void unionOfModalities(List<Attributes> copies, Attributes merged) {
        if (!merged.contains(Tag.MODALITIES_IN_STUDY)) {
            return;
        }
        Set<String> union = new TreeSet<>();
        for (Attributes copy : copies) {
            addModalities(copy.getStrings(Tag.MODALITIES_IN_STUDY), union);
        }
        merged.setString(Tag.MODALITIES_IN_STUDY, VR.CS, union.toArray(String[]::new));
    }

    /**
     * Adds each modality once, also from values that a PACS sent as one "CT\PT" string (checklist pitfall 4), without
     * padding and without empty values.
     */
    static void addModalities(String[] values, Set<String> into) {
        for (String value : values) {
            if (value == null) {
                continue;
            }
            for (String part : value.split("\\\\")) {
                String modality = part.strip();
                if (!modality.isEmpty()) {
                    into.add(modality);
                }
            }
        }
    }

    private static void maximumCounts(List<Attributes> copies, Attributes merged) {
        for (int tag : COUNTS) {
            if (!merged.contains(tag)) {
                continue;
            }
            long max = -1;
            for (Attributes copy : copies) {
                long n = count(copy.getString(tag));
                max = Math.max(max, n);
            }
            if (max >= 0) {
                merged.setString(tag, VR.IS, Long.toString(max));
            }
        }
    }

    /**
     * A count from an IS value, or -1 when it is absent or not a whole non-negative number. Lenient about forms like
     * "+12" and "12.0", which occur in the wild (checklist pitfall 8).
     */
    static long count(String value) {
        if (value == null) {
            return -1;
        }
        String s = value.strip();
        int start = s.startsWith("+") ? 1 : 0;
        int end = s.indexOf('.') >= 0 ? s.indexOf('.') : s.length();
        for (int i = end + 1; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return -1;
            }
        }
        int digits = end - start;
        if (digits <= 0 || digits > MAX_COUNT_DIGITS) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void bestAvailability(List<Attributes> copies, Attributes merged) {
        int best = AVAILABILITY_ORDER.size();
        for (Attributes copy : copies) {
            String value = copy.getString(Tag.INSTANCE_AVAILABILITY);
            int rank = value == null ? -1 : AVAILABILITY_ORDER.indexOf(value.strip());
            if (rank >= 0 && rank < best) {
                best = rank;
            }
        }
        if (best < AVAILABILITY_ORDER.size()) {
            merged.setString(Tag.INSTANCE_AVAILABILITY, VR.CS, AVAILABILITY_ORDER.get(best));
        }
    }
}
