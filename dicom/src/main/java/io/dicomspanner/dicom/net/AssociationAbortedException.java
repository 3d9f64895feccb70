package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.AAbort;

/** The association ended by A-ABORT, sent by the peer or by this side; {@link #abort()} says who and why. */
public class AssociationAbortedException extends DicomNetworkException {
    private static final long serialVersionUID = 1L;

    private final transient AAbort abort;
    private final boolean byPeer;

    public AssociationAbortedException(String message, AAbort abort, boolean byPeer) {
        super(message + " (" + abort + ")");
        this.abort = abort;
        this.byPeer = byPeer;
    }

    public AssociationAbortedException(String message, AAbort abort, boolean byPeer, Throwable cause) {
        super(message + " (" + abort + ")", cause);
        this.abort = abort;
        this.byPeer = byPeer;
    }

    public AAbort abort() {
        return abort;
    }

    /** True if the peer sent the A-ABORT, false if this side did. */
    public boolean byPeer() {
        return byPeer;
    }
}
