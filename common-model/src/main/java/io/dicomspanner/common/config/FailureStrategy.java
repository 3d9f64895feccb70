package io.dicomspanner.common.config;

import io.dicomspanner.common.wire.WireEnum;

/**
 * What a spanning query answers when some of its sources fail or time out ({@code spanner_config.failure_strategy},
 * the admin API's {@code failure_strategy}: the {@link WireEnum} form, {@code partial_results}).
 */
public enum FailureStrategy implements WireEnum {
    /** Best effort: answer with whatever the sources that did answer found; the failed sources are listed. */
    PARTIAL_RESULTS,
    /** The first failing source fails the whole query. */
    FAIL_FAST,
    /** Answer if at least {@code minimum_success_threshold} sources succeeded, else fail. */
    MINIMUM_THRESHOLD;

    /**
     * The strategy of a stored or sent wire value.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static FailureStrategy ofWire(String value) {
        return WireEnum.fromWire(FailureStrategy.class, value);
    }
}
