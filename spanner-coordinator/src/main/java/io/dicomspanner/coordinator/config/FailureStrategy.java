package io.dicomspanner.coordinator.config;

/** What a spanning query answers when some of its sources fail or time out (spanner_config.failure_strategy). */
public enum FailureStrategy {
    /** Answer with whatever arrived; the failed sources are listed. */
    PARTIAL_RESULTS("partial_results"),
    /** The first failing source fails the whole query. */
    FAIL_FAST("fail_fast"),
    /** Answer if at least minimum_success_threshold sources succeeded, else fail. */
    MINIMUM_THRESHOLD("minimum_threshold");

    private final String configValue;

    FailureStrategy(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    public static FailureStrategy ofConfigValue(String value) {
        for (FailureStrategy s : values()) {
            if (s.configValue.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown failure strategy: '" + value + "'");
    }
}
