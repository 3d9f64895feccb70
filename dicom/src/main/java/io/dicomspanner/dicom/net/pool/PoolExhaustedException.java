package io.dicomspanner.dicom.net.pool;

import io.dicomspanner.dicom.net.DicomNetworkException;

/** The pool cannot give an association: its queue of waiting callers for that peer is full, or the pool is closed. */
public class PoolExhaustedException extends DicomNetworkException {
    private static final long serialVersionUID = 1L;

    public PoolExhaustedException(String message) {
        super(message);
    }
}
