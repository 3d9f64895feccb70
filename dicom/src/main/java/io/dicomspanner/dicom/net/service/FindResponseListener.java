package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;

/**
 * Receives a C-FIND's matches as they arrive. Called on the association's event loop, in arrival order: return
 * quickly, and to slow the peer down call {@link FindOperation#setReading(boolean) setReading(false)} (and true later)
 * rather than blocking. An exception thrown here cancels the operation, which then fails with it.
 */
@FunctionalInterface
public interface FindResponseListener {
    void onMatch(FindOperation operation, Attributes identifier);
}
