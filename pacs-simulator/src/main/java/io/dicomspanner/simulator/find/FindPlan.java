package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.simulator.config.UnsupportedKeyReturn;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One C-FIND identifier read for one simulated PACS: which requested attributes it holds and at which level, the
 * matching keys of each level compiled, which requested attributes it does not hold, and whether the query is
 * relational. A held attribute the PACS does not match on (unmatched) is requested like any other and its key left
 * out of matching, whatever its value.
 */
final class FindPlan {
    private static final String UTF_8 = "ISO_IR 192";

    /** VRs whose keys take "*" as universal (PS3.4 C.2.2.2.4). */
    private static final Set<VR> WILDCARD_VRS =
            EnumSet.of(VR.AE, VR.CS, VR.LO, VR.LT, VR.PN, VR.SH, VR.ST, VR.UC, VR.UR, VR.UT);

    private final QueryLevel level;
    private final List<QueryLevel> path;
    private final Map<QueryLevel, Attributes> keys = new EnumMap<>(QueryLevel.class);
    private final Map<QueryLevel, int[]> heldTags = new EnumMap<>(QueryLevel.class);
    private final Map<QueryLevel, int[]> filteringTags = new EnumMap<>(QueryLevel.class);
    private final Map<QueryLevel, int[]> returnOnlyTags = new EnumMap<>(QueryLevel.class);
    private final Map<QueryLevel, QueryMatcher> matchers = new EnumMap<>(QueryLevel.class);
    private final List<Integer> unheldTags = new ArrayList<>();
    private final List<VR> unheldVrs = new ArrayList<>();
    private final boolean unheldKeyWithValue;
    private final String relationalKey;
    private final String retrieveAeTitle;
    private final UnsupportedKeyReturn unheldReturn;

    /**
     * @throws io.dicomspanner.dicom.match.InvalidMatchingKeyException if a key value fits no matching rule
     */
    FindPlan(
            InformationModel model,
            QueryLevel level,
            Attributes identifier,
            Set<Integer> unstoredTags,
            Set<Integer> unmatchedTags,
            MatchOptions options,
            String retrieveAeTitle,
            UnsupportedKeyReturn unheldReturn) {
        this.level = level;
        this.path = model.levels().subList(0, model.levels().indexOf(level) + 1);
        this.retrieveAeTitle = retrieveAeTitle;
        this.unheldReturn = unheldReturn;
        Map<QueryLevel, List<Integer>> tags = new EnumMap<>(QueryLevel.class);
        Map<QueryLevel, List<Integer>> filtering = new EnumMap<>(QueryLevel.class);
        Map<QueryLevel, List<Integer>> returnOnly = new EnumMap<>(QueryLevel.class);
        // every held key as given, matched or not: what makes a query relational is its form, not what the PACS uses
        Map<QueryLevel, Attributes> given = new EnumMap<>(QueryLevel.class);
        for (QueryLevel l : path) {
            keys.put(l, new Attributes());
            given.put(l, new Attributes());
            tags.put(l, new ArrayList<>());
            filtering.put(l, new ArrayList<>());
            returnOnly.put(l, new ArrayList<>());
        }
        boolean keyWithValue = false;
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            VR vr = identifier.vrAt(i);
            if (isNotAKey(tag)) {
                continue;
            }
            QueryLevel at = heldLevel(model, tag, unstoredTags);
            if (at != null && path.contains(at)) {
                given.get(at).copyFrom(identifier, tag);
                tags.get(at).add(tag);
                if (unmatchedTags.contains(tag)) {
                    returnOnly.get(at).add(tag);
                    continue;
                }
                keys.get(at).copyFrom(identifier, tag);
                (isUniversal(identifier, tag, vr) ? returnOnly : filtering)
                        .get(at)
                        .add(tag);
            } else {
                unheldTags.add(tag);
                unheldVrs.add(vr);
                keyWithValue |= !isUniversal(identifier, tag, vr);
            }
        }
        this.unheldKeyWithValue = keyWithValue;
        for (QueryLevel l : path) {
            heldTags.put(l, toArray(tags.get(l)));
            filteringTags.put(l, toArray(filtering.get(l)));
            returnOnlyTags.put(l, toArray(returnOnly.get(l)));
            matchers.put(l, QueryMatcher.compile(keys.get(l), options));
        }
        this.relationalKey = relationalKey(given);
    }

    private static int[] toArray(List<Integer> tags) {
        return tags.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Attributes that say how to answer, never what: always set by the PACS itself, or not data set attributes. */
    private static boolean isNotAKey(int tag) {
        int group = Tag.group(tag);
        return tag == Tag.QUERY_RETRIEVE_LEVEL
                || tag == Tag.SPECIFIC_CHARACTER_SET
                || tag == Tag.RETRIEVE_AE_TITLE
                || group == 0x0000
                || group == 0x0002
                || Tag.isGroupLength(tag);
    }

    /** The level of the model at which this PACS holds the attribute, or {@code null}. */
    private QueryLevel heldLevel(InformationModel model, int tag, Set<Integer> unstoredTags) {
        if (unstoredTags.contains(tag)) {
            return null;
        }
        if (AnsweredAttributes.isInstanceAvailability(tag)) {
            return level;
        }
        QueryLevel own = AnsweredAttributes.ownLevel(tag);
        return own == null ? null : model.levelOf(own);
    }

    /**
     * Whether a key never filters: zero length, only "*" for the wildcard VRs, bulk data, or a sequence whose items
     * hold only such keys.
     */
    private static boolean isUniversal(Attributes identifier, int tag, VR vr) {
        if (vr == VR.SQ) {
            Sequence sq = identifier.getSequence(tag);
            if (sq == null) {
                return true;
            }
            for (Attributes item : sq.items()) {
                for (int i = 0; i < item.size(); i++) {
                    if (!isUniversal(item, item.tagAt(i), item.vrAt(i))) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (vr.kind() == VR.Kind.BINARY && vr.binaryValueSize() == 0 && vr != VR.AT) {
            return true;
        }
        for (String value : identifier.getStrings(tag)) {
            if (!value.isEmpty() && !(WILDCARD_VRS.contains(vr) && value.chars().allMatch(c -> c == '*'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The keyword of the first key that makes the query relational: at a level above the query level, anything but
     * that level's unique key with one value (the hierarchical form of PS3.4 C.4.1.2.1). {@code null} for a
     * hierarchical query.
     */
    private String relationalKey(Map<QueryLevel, Attributes> given) {
        for (QueryLevel upper : path.subList(0, path.size() - 1)) {
            Attributes k = given.get(upper);
            int unique = upper.uniqueKeyTags()[0];
            for (int i = 0; i < k.size(); i++) {
                if (k.tagAt(i) != unique) {
                    return keyword(k.tagAt(i));
                }
            }
            String[] values = k.getStrings(unique);
            if (values.length != 1
                    || values[0].isEmpty()
                    || values[0].indexOf('*') >= 0
                    || values[0].indexOf('?') >= 0) {
                return keyword(unique);
            }
        }
        return null;
    }

    private static String keyword(int tag) {
        String keyword = ElementDictionary.standard().keywordOf(tag);
        return keyword != null ? keyword : Tag.toString(tag);
    }

    QueryLevel level() {
        return level;
    }

    /** The levels from the model's top down to the query level. */
    List<QueryLevel> path() {
        return path;
    }

    /** The keys of one level this PACS holds and matches on, as the identifier gave them. */
    Attributes keys(QueryLevel l) {
        return keys.get(l);
    }

    QueryMatcher matcher(QueryLevel l) {
        return matchers.get(l);
    }

    /** The requested attributes of one level this PACS holds whose keys have a value: those that filter. */
    int[] filteringTags(QueryLevel l) {
        return filteringTags.get(l);
    }

    /** The requested attributes of one level this PACS holds whose keys are universal: return keys only. */
    int[] returnOnlyTags(QueryLevel l) {
        return returnOnlyTags.get(l);
    }

    /** Whether the query is relational; see {@link #relationalKeyword()}. */
    boolean isRelational() {
        return relationalKey != null;
    }

    /** The keyword of the key that makes the query relational, or {@code null}. */
    String relationalKeyword() {
        return relationalKey;
    }

    /** Whether a key with a value was ignored because this PACS does not hold the attribute (status FF01). */
    boolean ignoresKeyWithValue() {
        return unheldKeyWithValue;
    }

    /** Whether the query level's unique key holds a value (which exempts a query from a refusing cap). */
    boolean hasQueryLevelUniqueKeyValue() {
        Attributes k = keys.get(level);
        return k.contains(level.uniqueKeyTags()[0]) && k.getStrings(level.uniqueKeyTags()[0]).length > 0;
    }

    /**
     * The response identifier for a hit at the query level: Query/Retrieve Level, Retrieve AE Title, every requested
     * attribute with the entity's value or empty, and Specific Character Set ISO_IR 192 when a value needs it.
     */
    Attributes response(Hit hit) {
        Attributes response = new Attributes();
        response.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level.name());
        response.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, retrieveAeTitle);
        for (QueryLevel l : path) {
            for (int tag : heldTags.get(l)) {
                if (hit.record.contains(tag)) {
                    response.copyFrom(hit.record, tag);
                } else {
                    response.setNull(tag, AnsweredAttributes.vrOf(tag));
                }
            }
        }
        if (unheldReturn == UnsupportedKeyReturn.EMPTY) {
            for (int i = 0; i < unheldTags.size(); i++) {
                response.setNull(unheldTags.get(i), unheldVrs.get(i));
            }
        }
        if (hasNonAsciiText(response)) {
            response.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, UTF_8);
        }
        return response;
    }

    private static boolean hasNonAsciiText(Attributes ds) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.vrAt(i).kind() == VR.Kind.TEXT_SPECIFIC_CHARSET) {
                for (String value : ds.getStrings(ds.tagAt(i))) {
                    if (value.chars().anyMatch(c -> c > 0x7F)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
