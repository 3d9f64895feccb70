package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What an association does with requests it receives (the SCP side), and what it may accept during negotiation.
 * {@link io.dicomspanner.dicom.net.service.DicomServiceRegistry} implements it; applications implement services, not
 * this.
 */
public interface DimseRequestHandler {

    /** SOP classes (abstract syntaxes) with a service; others are rejected during negotiation. */
    Set<String> sopClasses();

    /**
     * The answer to a proposed SOP class extended negotiation, or {@code null} to send none (= nothing supported).
     */
    default SopClassExtendedNegotiation negotiate(SopClassExtendedNegotiation proposed) {
        return null;
    }

    /**
     * Handles one request, on the event loop: must not block. Responses go through {@link Association#respond}, from
     * any thread.
     *
     * @param cancelled completed when the peer sends C-CANCEL for this request, or the association ends first
     */
    void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled);

    /** Refuses every request with Refused: SOP Class not supported; a client association's default. */
    DimseRequestHandler NONE = new DimseRequestHandler() {
        @Override
        public Set<String> sopClasses() {
            return Set.of();
        }

        @Override
        public void onRequest(Association association, DimseMessage request, CompletableFuture<Void> cancelled) {
            association.respond(
                    request, Commands.response(request.command(), Status.SOP_CLASS_NOT_SUPPORTED, false, null), null);
        }
    };
}
