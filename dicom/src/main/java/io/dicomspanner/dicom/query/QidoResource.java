package io.dicomspanner.dicom.query;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The QIDO-RS search resources (PS3.18 §10.6.1), each with its level and the upper-level attributes its results carry.
 *
 * <p>A result carries the default attributes of its own level and, when the path leaves an upper level open, those of
 * the levels above it (PS3.18 §10.6.3.3.2, §10.6.3.3.3): All Series carry the study attributes; Study's Instances
 * carry the series attributes; All Instances carry both. A path that fixes the study (or the series) needs not repeat
 * it in every result.
 */
public enum QidoResource {
    /** {@code /studies} */
    ALL_STUDIES(QueryLevel.STUDY),
    /** {@code /studies/{study}/series} */
    STUDY_SERIES(QueryLevel.SERIES),
    /** {@code /series} */
    ALL_SERIES(QueryLevel.SERIES, QueryLevel.STUDY),
    /** {@code /studies/{study}/series/{series}/instances} */
    STUDY_SERIES_INSTANCES(QueryLevel.IMAGE),
    /** {@code /studies/{study}/instances} */
    STUDY_INSTANCES(QueryLevel.IMAGE, QueryLevel.SERIES),
    /** {@code /instances} */
    ALL_INSTANCES(QueryLevel.IMAGE, QueryLevel.STUDY, QueryLevel.SERIES);

    private final QueryLevel level;
    private final Set<QueryLevel> upperLevelsReturned;
    private final SortedSet<Integer> responseAttributes;
    private final SortedSet<Integer> requiredResponseAttributes;

    QidoResource(QueryLevel level, QueryLevel... upperLevelsReturned) {
        this.level = level;
        this.upperLevelsReturned = Collections.unmodifiableSet(
                upperLevelsReturned.length == 0
                        ? EnumSet.noneOf(QueryLevel.class)
                        : EnumSet.copyOf(List.of(upperLevelsReturned)));
        SortedSet<Integer> all = new TreeSet<>(QidoAttributes.responseAttributes(level));
        SortedSet<Integer> required = new TreeSet<>(QidoAttributes.requiredResponseAttributes(level));
        for (QueryLevel upper : upperLevelsReturned) {
            all.addAll(QidoAttributes.responseAttributes(upper));
            required.addAll(QidoAttributes.requiredResponseAttributes(upper));
        }
        this.responseAttributes = Collections.unmodifiableSortedSet(all);
        this.requiredResponseAttributes = Collections.unmodifiableSortedSet(required);
    }

    /** The level of the entities this resource returns. */
    public QueryLevel level() {
        return level;
    }

    /** The levels above {@link #level()} whose default attributes every result repeats. */
    public Set<QueryLevel> upperLevelsReturned() {
        return upperLevelsReturned;
    }

    /** The default attributes of a result: its level's and those of {@link #upperLevelsReturned()}. */
    public SortedSet<Integer> responseAttributes() {
        return responseAttributes;
    }

    /** The attributes every result carries, empty when no source knew them. */
    public SortedSet<Integer> requiredResponseAttributes() {
        return requiredResponseAttributes;
    }

    /**
     * True when the path leaves the unique key of an upper level open, so that the C-FIND for it is relational (PS3.4
     * C.4.1.2.2) unless the query's own parameters fix that key to one value; a PACS without relational queries is then
     * asked level by level.
     */
    public boolean needsRelationalQuery() {
        return this == ALL_SERIES || this == STUDY_INSTANCES || this == ALL_INSTANCES;
    }
}
