package io.dicomspanner.listener.find;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a C-FIND request identifier into the canonical {@link SpanQuery}, or refuses it before anything is sent:
 *
 * <ul>
 *   <li>a key value that no matching rule accepts (a date range that ends before it starts, a wildcard in a UID) →
 *       C000 (unable to process), as the coordinator would refuse it too ({@link QueryMatcher} rules);
 *   <li>a key with a value that belongs below the query's level (SOP Instance UID in a STUDY query) → A900 (identifier
 *       does not match the SOP class's level);
 *   <li>such a key without a value, and private or unknown attributes, are dropped: the SCP does not support them as
 *       keys, which the pending responses say with FF01.
 * </ul>
 *
 * <p>Values are decoded with the request's Specific Character Set, so the query holds text, whatever set the SCU
 * used. Keys with a value become {@link QueryKey}s (sequence items as dotted paths); keys without one become return
 * keys, so the answer carries exactly the attributes asked for.
 */
public final class IdentifierTranslator {

    /** The query, and whether some keys were dropped as unsupported (pending responses are then FF01). */
    public record Translation(SpanQuery query, boolean unsupportedKeys) {}

    private IdentifierTranslator() {}

    /** @param level the Query/Retrieve Level, already checked against the information model by the SCP */
    public static Translation translate(Attributes identifier, String level, long configId) {
        QueryLevel queryLevel = QueryLevel.ofCode(level);
        try {
            QueryMatcher.compile(identifier, MatchOptions.SCP);
        } catch (InvalidMatchingKeyException e) {
            throw new RefusedIdentifierException(Status.UNABLE_TO_PROCESS, e.getMessage(), e.tag());
        }
        List<QueryKey> keys = new ArrayList<>();
        List<String> returnKeys = new ArrayList<>();
        boolean unsupported = false;
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            if (tag == Tag.QUERY_RETRIEVE_LEVEL || tag == Tag.SPECIFIC_CHARACTER_SET) {
                continue;
            }
            if (Tag.isPrivate(tag) || ElementDictionary.standard().vrOf(tag) == null) {
                unsupported = true;
                continue;
            }
            boolean empty = isEmpty(identifier, i);
            if (!AttributeLevels.isAllowedAt(tag, queryLevel)) {
                if (empty) {
                    unsupported = true;
                    continue;
                }
                throw new RefusedIdentifierException(
                        Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
                        ElementDictionary.standard().keywordOf(tag) + " is not a key of the " + queryLevel.code()
                                + " level",
                        tag);
            }
            String path = hex(tag);
            if (identifier.vrAt(i) == VR.SQ) {
                Sequence sequence = identifier.getSequence(tag);
                if (sequence == null || sequence.isEmpty() || !addItemKeys(sequence.get(0), path, keys)) {
                    returnKeys.add(path);
                }
            } else if (empty) {
                returnKeys.add(path);
            } else {
                keys.add(new QueryKey(path, String.join("\\", identifier.getStrings(tag))));
            }
        }
        SpanQuery query = new SpanQuery(configId, queryLevel, null, keys, returnKeys, false, false, null, 0);
        return new Translation(query, unsupported);
    }

    /** Adds the keys of a sequence's item; false if it holds none. */
    private static boolean addItemKeys(Attributes item, String parentPath, List<QueryKey> keys) {
        boolean any = false;
        for (int i = 0; i < item.size(); i++) {
            int tag = item.tagAt(i);
            if (Tag.isPrivate(tag) || tag == Tag.SPECIFIC_CHARACTER_SET) {
                continue;
            }
            String path = parentPath + "." + hex(tag);
            refuseByteStream(item, i);
            if (item.vrAt(i) == VR.SQ) {
                Sequence sequence = item.getSequence(tag);
                if (sequence != null && !sequence.isEmpty() && addItemKeys(sequence.get(0), path, keys)) {
                    any = true;
                    continue;
                }
                // An empty nested sequence asks for nothing the parent's copy does not already return.
                continue;
            }
            keys.add(new QueryKey(path, isEmpty(item, i) ? "" : String.join("\\", item.getStrings(tag))));
            any = true;
        }
        return any;
    }

    /**
     * A key whose value came as a byte stream (a peer's explicit VR OB or UN, say, for PatientName) holds no text to
     * match: refused with C000, naming the attribute and the VR, never the bytes.
     */
    private static void refuseByteStream(Attributes attributes, int index) {
        VR vr = attributes.vrAt(index);
        if (vr == VR.SQ || vr.isText() || vr.binaryValueSize() > 0) {
            return;
        }
        Object value = attributes.valueAt(index);
        if (value == null || (value instanceof byte[] b && b.length == 0)) {
            return;
        }
        int tag = attributes.tagAt(index);
        String keyword = ElementDictionary.standard().keywordOf(tag);
        throw new RefusedIdentifierException(
                Status.UNABLE_TO_PROCESS,
                (keyword != null ? keyword + " " : "") + Tag.toString(tag) + " has VR " + vr
                        + ", which holds no value to match",
                tag);
    }

    private static boolean isEmpty(Attributes attributes, int index) {
        refuseByteStream(attributes, index);
        Object value = attributes.valueAt(index);
        return value == null
                || (value instanceof byte[] b && b.length == 0)
                || (value instanceof String s && s.isEmpty())
                || (value instanceof Sequence sq && sq.isEmpty())
                || (attributes.vrAt(index) != VR.SQ && attributes.getStrings(attributes.tagAt(index)).length == 0);
    }

    private static String hex(int tag) {
        return String.format("%08X", tag);
    }
}
