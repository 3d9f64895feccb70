package io.dicomspanner.common.atna;

/** {@code EventOutcomeIndicator}: whether the audited event succeeded, and how badly it failed if not. */
public enum EventOutcome {
    SUCCESS("0"),
    MINOR_FAILURE("4"),
    SERIOUS_FAILURE("8"),
    MAJOR_FAILURE("12");

    private final String indicator;

    EventOutcome(String indicator) {
        this.indicator = indicator;
    }

    /** The attribute value: {@code 0}, {@code 4}, {@code 8} or {@code 12}. */
    public String indicator() {
        return indicator;
    }
}
