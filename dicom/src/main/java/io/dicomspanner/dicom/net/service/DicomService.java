package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A DIMSE service for some SOP classes, registered in a {@link DicomServiceRegistry}. */
public interface DicomService {
    Set<String> sopClasses();

    /** The answer to a proposed extended negotiation for one of {@link #sopClasses()}, or {@code null} for none. */
    default SopClassExtendedNegotiation negotiate(SopClassExtendedNegotiation proposed) {
        return null;
    }

    /**
     * Handles a request whose SOP class is one of {@link #sopClasses()}, on the event loop: must not block.
     *
     * @param cancelled completed on C-CANCEL for this request, or when the association ends
     */
    void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled);
}
