package io.dicomspanner.coordinator.fanout;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QidoAttributes;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Builds the C-FIND identifiers of a spanning query: the one the results are re-checked against, and each source's. */
public final class CFindIdentifiers {

    /** What a patient-level result carries when nobody asked for more (PS3.4 C.6.1.1.2 required and unique keys). */
    private static final Set<Integer> PATIENT_ATTRIBUTES = Set.of(
            Tag.PATIENT_NAME,
            Tag.PATIENT_ID,
            Tag.ISSUER_OF_PATIENT_ID,
            ElementDictionary.standard().tagOf("PatientBirthDate"),
            ElementDictionary.standard().tagOf("PatientSex"));

    private CFindIdentifiers() {}

    /**
     * The query's own identifier: its matching keys (nested paths as sequence items) and nothing else, which is what
     * the returned records are matched against again.
     */
    public static Attributes matchingKeys(SpanQuery query) {
        Attributes identifier = new Attributes();
        for (QueryKey key : query.keys()) {
            put(identifier, key.path().split("\\."), 0, key.value());
        }
        return identifier;
    }

    /**
     * The identifier sent to one source: the matching keys, the return keys and the level's result attributes as
     * universal keys (empty values), the Query/Retrieve Level, and the source's additional filters, which override a
     * key of the query of the same name.
     */
    public static Attributes forSource(SpanQuery query, Map<String, String> additionalFilters) {
        Attributes identifier = matchingKeys(query);
        for (int tag : universalKeys(query)) {
            if (!identifier.contains(tag)) {
                identifier.setNull(tag, vrOf(tag));
            }
        }
        ElementDictionary dictionary = ElementDictionary.standard();
        for (Map.Entry<String, String> filter : additionalFilters.entrySet()) {
            int tag = dictionary.tagOf(filter.getKey());
            if (tag < 0) {
                throw new IllegalArgumentException(
                        "additional query filter names no DICOM attribute: '" + filter.getKey() + "'");
            }
            identifier.setString(tag, vrOf(tag), filter.getValue());
        }
        identifier.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, query.level().code());
        return identifier;
    }

    private static Set<Integer> universalKeys(SpanQuery query) {
        Set<Integer> tags = new TreeSet<>(Integer::compareUnsigned);
        QueryLevel level = query.level();
        if (level == QueryLevel.PATIENT) {
            tags.addAll(PATIENT_ATTRIBUTES);
        } else if (query.resource() != null) {
            tags.addAll(query.resource().responseAttributes());
        } else {
            tags.addAll(QidoAttributes.responseAttributes(level));
        }
        // The unique keys of the level and those above it: de-duplication and Retrieve URLs need them.
        for (QueryLevel upper : QueryLevel.values()) {
            if (upper != QueryLevel.PATIENT && !level.isAbove(upper)) {
                for (int tag : upper.uniqueKeyTags()) {
                    tags.add(tag);
                }
            }
        }
        tags.remove(Tag.RETRIEVE_URL); // built by the coordinator, never asked of a PACS
        tags.remove(Tag.SPECIFIC_CHARACTER_SET);
        for (String returnKey : query.returnKeys()) {
            tags.add(Integer.parseUnsignedInt(returnKey.substring(0, 8), 16));
        }
        return tags;
    }

    private static void put(Attributes target, String[] path, int index, String value) {
        int tag = Integer.parseUnsignedInt(path[index], 16);
        if (index == path.length - 1) {
            target.setString(tag, vrOf(tag), value);
            return;
        }
        Sequence sequence = target.getSequence(tag);
        if (sequence == null) {
            sequence = target.newSequence(tag);
        }
        Attributes item = sequence.isEmpty() ? sequence.addItem() : sequence.get(0);
        put(item, path, index + 1, value);
    }

    private static VR vrOf(int tag) {
        VR vr = ElementDictionary.standard().vrOf(tag);
        return vr == null ? VR.UN : vr;
    }
}
