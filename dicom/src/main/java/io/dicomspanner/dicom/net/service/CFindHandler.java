package io.dicomspanner.dicom.net.service;

/**
 * What an application implements to answer C-FIND as SCP, without touching PDUs or commands. {@link #onFind} is
 * called on the association's event loop and must return quickly; the matches may then be produced from any thread,
 * at any pace, through the responder.
 */
@FunctionalInterface
public interface CFindHandler {
    /**
     * Starts answering one C-FIND. Call {@link FindResponder#pending} for each match, then {@link
     * FindResponder#complete} once. On C-CANCEL the SCP answers Cancel (FE00H) itself and completes {@link
     * FindRequest#cancelled()}; later calls on the responder are ignored, so stopping promptly is a courtesy.
     */
    void onFind(FindRequest request, FindResponder responder);

    /**
     * Told when the SCP refused a C-FIND itself, before any {@link #onFind} (identifier missing or unreadable, Query/
     * Retrieve Level not of the SOP class), with the final status it sent: so an application that counts its C-FINDs
     * counts these too. Called on the association's event loop; the default does nothing.
     */
    default void onRefused(String sopClassUid, int status) {}
}
