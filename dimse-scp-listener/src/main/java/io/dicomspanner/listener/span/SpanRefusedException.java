package io.dicomspanner.listener.span;

/** The broker did not take a span request: the message says why, fit for a C-FIND Error Comment (no PHI). */
public class SpanRefusedException extends RuntimeException {

    public SpanRefusedException(String message) {
        super(message);
    }
}
