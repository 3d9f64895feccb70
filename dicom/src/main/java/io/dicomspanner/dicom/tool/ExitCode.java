package io.dicomspanner.dicom.tool;

/** The exit codes of {@code scripts/dicom}, so scripts can tell a refusing PACS from an unreachable one. */
public final class ExitCode {
    /**
     * C-ECHO or C-FIND ended with status Success (a C-FIND cut short by {@code --max-matches} included); the probe
     * determined at least one key.
     */
    public static final int SUCCESS = 0;

    /**
     * The peer answered with a status other than Success: a failure, a warning the tool does not accept, Cancel. For
     * {@code probe}: no key could be determined (no study to probe with, or the C-FINDs failed; the lines say why).
     */
    public static final int FAILURE_STATUS = 1;

    /** No answer: connection refused or failed, association rejected or aborted, TLS failure, timeout. */
    public static final int NETWORK_ERROR = 2;

    /** The command line is wrong (unknown option, keyword, level, ...); nothing was sent. */
    public static final int USAGE = 64;

    private ExitCode() {}
}
