package io.dicomspanner.common.seal;

import java.util.Locale;

/**
 * A sealed value that cannot be opened: it is never used. The message says why, never what the value holds.
 */
public final class SealRejectedException extends RuntimeException {

    /** Why a value was refused; the {@code reason} tag of {@code spanner_sealed_value_rejected_total}. */
    public enum Reason {
        /** Shorter than a header and a tag, or not base64 where text was expected. */
        MALFORMED,
        /** A format version this service does not know. */
        UNKNOWN_VERSION,
        /** Sealed under a key that is neither the current nor the previous one. */
        UNKNOWN_KEY,
        /** The tag does not verify: a byte was changed, or the value was cut short. */
        TAMPERED;

        /** The tag value: lowercase. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public SealRejectedException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
