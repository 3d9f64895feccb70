package io.dicomspanner.dicom.net.pdu;

/**
 * Asynchronous operations window sub-item (53H, PS3.7 Annex D.3.3.3): how many operations the association requestor
 * may invoke, and perform, without waiting for their responses. 0 means unlimited; absent means 1 and 1.
 */
public record AsyncOperationsWindow(int maxOperationsInvoked, int maxOperationsPerformed)
        implements UserInformationItem {
    public AsyncOperationsWindow {
        checkU16(maxOperationsInvoked, "maxOperationsInvoked");
        checkU16(maxOperationsPerformed, "maxOperationsPerformed");
    }

    static void checkU16(int value, String what) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(what + " " + value + " does not fit in 16 bits");
        }
    }

    @Override
    public int itemType() {
        return ASYNC_OPERATIONS_WINDOW;
    }
}
