package io.dicomspanner.common.config;

import io.dicomspanner.common.wire.WireEnum;

/**
 * How copies of one record (same unique key, from several PACS) become one result. Whatever the strategy, the result's
 * Retrieve AE Title lists every source AE that holds the record. Stored and sent in its {@link WireEnum} form
 * ({@code first_wins}).
 */
public enum DeduplicationStrategy implements WireEnum {
    /**
     * The copy from the source with the best mapping priority (1 = highest); equal priorities go to the lower source
     * id. The only strategy whose results can be final before every source has answered.
     */
    FIRST_WINS,
    /**
     * The copy with the most non-empty attributes of the query's level and above; equal counts go to the better
     * priority, as in {@link #FIRST_WINS}.
     */
    MOST_COMPLETE,
    /**
     * The union of all copies, for a study (or series) replicated partially on several PACS:
     *
     * <ul>
     *   <li>Each attribute comes from the best-priority copy with a non-empty value. Sequences are taken whole, never
     *       merged item by item, since items of different PACS cannot be matched up. An attribute every copy has
     *       empty stays present and empty.
     *   <li>Modalities in Study is the sorted union of every copy's values: each PACS lists the modalities of the
     *       series it holds, and the study has all of them.
     *   <li>The NumberOf* counts are the maximum over the copies. Each PACS counts only what it holds; the sum would
     *       count twice every series or instance held by two PACS, while the maximum is never above the truth and is
     *       exact as soon as one PACS holds the whole study. Recounting exactly would take a series- or
     *       instance-level query of every PACS per study, which a study search cannot afford.
     *   <li>Instance Availability is the best any copy reports (ONLINE, then NEARLINE, OFFLINE, UNAVAILABLE): the
     *       record can be retrieved from the PACS that reports it.
     * </ul>
     */
    MERGE_ALL;

    /**
     * The strategy of a stored or sent wire value ({@code first_wins}, {@code most_complete}, {@code merge_all}).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static DeduplicationStrategy ofWire(String value) {
        return WireEnum.fromWire(DeduplicationStrategy.class, value);
    }
}
