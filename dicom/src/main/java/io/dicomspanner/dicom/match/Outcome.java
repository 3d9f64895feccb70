package io.dicomspanner.dicom.match;

/** The result of comparing one key with one candidate: UNKNOWN when the candidate's value cannot be compared. */
enum Outcome {
    MATCH,
    NO_MATCH,
    UNKNOWN;

    /** The better of two outcomes for "any of" matching: a match wins, and an unknown beats a proven mismatch. */
    Outcome or(Outcome other) {
        if (this == MATCH || other == MATCH) {
            return MATCH;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : NO_MATCH;
    }

    /** The worse of two outcomes for "all of" matching: a mismatch wins, and an unknown beats a match. */
    Outcome and(Outcome other) {
        if (this == NO_MATCH || other == NO_MATCH) {
            return NO_MATCH;
        }
        return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : MATCH;
    }
}
