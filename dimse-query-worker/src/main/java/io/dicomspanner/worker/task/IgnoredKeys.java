package io.dicomspanner.worker.task;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.MissingValuePolicy;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.List;

/**
 * The matching keys of one task's identifier that its source is known to ignore ({@code SourceEndpoint.unmatchedKeys}):
 * keywords the dictionary knows, present in the identifier with a value that filters (not a return key, not "*").
 * Each is checked on its own against a record with the DICOM matching rules the task's local re-check uses.
 */
final class IgnoredKeys {

    /** What a record's own value says about one key. */
    enum Verdict {
        /** the record's value matches the key */
        MATCHES,
        /** the record's value disproves the key */
        DISPROVED,
        /** the record holds no value to compare (absent, empty, unreadable), or the key fits no matching rule */
        UNKNOWN
    }

    /**
     * One ignored key.
     *
     * @param strict the key alone, an unknown value failing; {@code null} when the key fits no matching rule
     * @param lenient the key alone, an unknown value passing
     */
    record Key(String keyword, int tag, QueryMatcher strict, QueryMatcher lenient) {
        Verdict check(Attributes record) {
            if (strict == null) {
                return Verdict.UNKNOWN;
            }
            if (strict.matches(record)) {
                return Verdict.MATCHES;
            }
            return lenient.matches(record) ? Verdict.UNKNOWN : Verdict.DISPROVED;
        }
    }

    private static final MatchOptions OPTIONS = MatchOptions.RECHECK.withCombinedDateTime(true);

    private final List<Key> keys;

    private IgnoredKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** The keys of {@code identifier} among {@code unmatchedKeys}, in the order of {@code unmatchedKeys}. */
    static IgnoredKeys of(List<String> unmatchedKeys, Attributes identifier) {
        return new IgnoredKeys(keysOf(unmatchedKeys, identifier, OPTIONS));
    }

    /**
     * The keys of {@code identifier} among {@code keywords} that filter, in the order of {@code keywords}, each to be
     * checked alone under {@code options} (an unknown value failing the strict matcher, passing the lenient one); a
     * key that fits no matching rule comes without matchers.
     */
    static List<Key> keysOf(List<String> keywords, Attributes identifier, MatchOptions options) {
        List<Key> keys = new ArrayList<>();
        ElementDictionary dictionary = ElementDictionary.standard();
        for (String keyword : keywords) {
            ElementDictionary.Entry entry = dictionary.entryOf(keyword);
            if (entry == null || !identifier.contains(entry.tag())) {
                continue;
            }
            Attributes alone = new Attributes();
            alone.copyFrom(identifier, Tag.SPECIFIC_CHARACTER_SET);
            alone.copyFrom(identifier, Tag.TIMEZONE_OFFSET_FROM_UTC);
            alone.copyFrom(identifier, entry.tag());
            try {
                QueryMatcher strict = QueryMatcher.compile(alone, options.withMissingValue(MissingValuePolicy.EXCLUDE));
                if (!strict.isUniversal()) {
                    keys.add(new Key(
                            keyword,
                            entry.tag(),
                            strict,
                            QueryMatcher.compile(alone, options.withMissingValue(MissingValuePolicy.KEEP))));
                }
            } catch (InvalidMatchingKeyException e) {
                keys.add(new Key(keyword, entry.tag(), null, null));
            }
        }
        return keys;
    }

    /** The matching options of the local checks, before any choice of the caller. */
    static MatchOptions options() {
        return OPTIONS;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    List<Key> keys() {
        return keys;
    }

    boolean has(int tag) {
        return keys.stream().anyMatch(k -> k.tag() == tag);
    }

    /**
     * What is sent to the source: each ignored key as an empty return key, so what comes back is the record's own
     * value, never the query's echoed. Unique keys stay as given: the level-by-level search needs them.
     */
    Attributes asReturnKeys(Attributes identifier) {
        Attributes sent = Attributes.copyOf(identifier);
        for (Key k : keys) {
            if (!isUniqueKey(k.tag())) {
                sent.setNull(k.tag(), identifier.vrOf(k.tag()));
            }
        }
        return sent;
    }

    /** The identifier without the ignored keys: what the usual local re-check applies, the keys being checked here. */
    Attributes without(Attributes identifier) {
        Attributes rest = Attributes.copyOf(identifier);
        keys.forEach(k -> rest.remove(k.tag()));
        return rest;
    }

    static boolean isUniqueKey(int tag) {
        for (QueryLevel level : QueryLevel.values()) {
            for (int unique : level.uniqueKeyTags()) {
                if (unique == tag) {
                    return true;
                }
            }
        }
        return false;
    }
}
