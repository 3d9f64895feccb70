package io.dicomspanner.bench.hostile;

/** How one hostile request or connection ended, as the report counts it. */
public enum Outcome {
    /** The service refused it with a 4xx answer (HTTP) or closed the connection itself (DICOM): what is expected. */
    REFUSED,
    /** An HTTP answer in the 2xx range: the gateway took a malformed request as a search. */
    ACCEPTED,
    /** An HTTP answer in the 5xx range. */
    SERVER_ERROR,
    /** The client went away on purpose (a DICOM peer aborting mid-stream); the leak check tells whether it was cleaned up. */
    CLIENT_WENT_AWAY,
    /** No answer, or the connection still open, after the documented timeout. */
    HANG,
    /** The service could not be reached at all: it may have crashed. */
    UNREACHABLE
}
