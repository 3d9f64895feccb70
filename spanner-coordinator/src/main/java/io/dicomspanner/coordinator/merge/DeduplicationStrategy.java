package io.dicomspanner.coordinator.merge;

/**
 * How copies of one record (same unique key, from several PACS) become one result. Whatever the strategy, the result's
 * Retrieve AE Title lists every source AE that holds the record.
 */
public enum DeduplicationStrategy {
    /**
     * The copy from the source with the best mapping priority (1 = highest); equal priorities go to the lower source
     * id. The only strategy whose results can be final before every source has answered.
     */
    FIRST_WINS("first_wins"),
    /**
     * The copy with the most non-empty attributes of the query's level and above; equal counts go to the better
     * priority, as in {@link #FIRST_WINS}.
     */
    MOST_COMPLETE("most_complete"),
    /**
     * The union of all copies: each attribute from the best-priority copy that has a non-empty value, with the
     * reconciliation rules of {@link RecordMerger} for Modalities in Study, the NumberOf* counts and Instance
     * Availability.
     */
    MERGE_ALL("merge_all");

    private final String configValue;

    DeduplicationStrategy(String configValue) {
        this.configValue = configValue;
    }

    /** The name used in spanner configurations and the admin API. */
    public String configValue() {
        return configValue;
    }

    /**
     * The strategy named by a configuration value ({@code first_wins}, {@code most_complete}, {@code merge_all}).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static DeduplicationStrategy ofConfigValue(String value) {
        for (DeduplicationStrategy s : values()) {
            if (s.configValue.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown deduplication strategy: '" + value + "'");
    }
}
