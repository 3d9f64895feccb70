package io.dicomspanner.gateway.error;

/** The resource a request names does not exist. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String what, Object id) {
        super("No " + what + " with id " + id);
    }

    /** @param detail the whole detail of the problem, for what is not found by an id of its own */
    public NotFoundException(String detail) {
        super(detail);
    }
}
