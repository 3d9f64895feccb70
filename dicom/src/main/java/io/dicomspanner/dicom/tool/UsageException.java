package io.dicomspanner.dicom.tool;

/** The command line is wrong: the tool prints the reason and its usage and exits with {@link ExitCode#USAGE}. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
