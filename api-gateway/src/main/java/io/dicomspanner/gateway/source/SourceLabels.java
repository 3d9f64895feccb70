package io.dicomspanner.gateway.source;

/**
 * The rules of a source's {@code location} and {@code tags}, and of the {@code include_locations} and
 * {@code include_tags} of a spanner config that select sources by them: short names that fit a URL query parameter,
 * an environment variable's comma-separated list and a log line unquoted. Compared exactly (case counts).
 */
public final class SourceLabels {

    /** Letters, digits, '.', '_' and '-', starting with a letter or digit. */
    public static final String PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    public static final String PATTERN_MESSAGE =
            "must be letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** Characters of one location or tag. */
    public static final int MAX_LENGTH = 64;

    /** Tags of one source. */
    public static final int MAX_TAGS = 32;

    /** Locations or tags one config selects. */
    public static final int MAX_SELECTED = 1000;

    private SourceLabels() {}
}
