package io.dicomspanner.gateway.error;

/** The request is valid but clashes with the current state (a duplicate name, a source still in use, ...). */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
