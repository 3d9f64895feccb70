package io.dicomspanner.gateway.config;

import io.dicomspanner.gateway.validation.WireEnum;

/** What a spanning query answers when some sources fail or time out. */
public enum FailureStrategy implements WireEnum {
    /** Best effort: answer with whatever the sources that did answer found. */
    PARTIAL_RESULTS,
    /** Fail the whole query as soon as one source fails. */
    FAIL_FAST,
    /** Answer if at least {@code minimum_success_threshold} sources answered, else fail. */
    MINIMUM_THRESHOLD;
}
