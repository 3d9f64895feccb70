package io.dicomspanner.listener.find;

/**
 * A C-FIND identifier the listener will not span: the failure status, an Error Comment naming what is wrong (never a
 * value: it may be a patient's name), and the offending attribute.
 */
public class RefusedIdentifierException extends RuntimeException {

    private final int status;
    private final int offendingElement;

    public RefusedIdentifierException(int status, String comment, int offendingElement) {
        super(comment);
        this.status = status;
        this.offendingElement = offendingElement;
    }

    public int status() {
        return status;
    }

    public int offendingElement() {
        return offendingElement;
    }
}
