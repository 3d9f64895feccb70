package io.dicomspanner.dicom.net;

/**
 * Receives the responses to one request sent with {@link Association#invoke}. Both methods run on the association's
 * event loop, in order, and must not block.
 */
public interface DimseResponseHandler {
    /** A response; the last one has a status that is not pending. */
    void onResponse(DimseMessage response);

    /** The request could not be sent, or the association ended before the final response. Called at most once. */
    void onFailure(Throwable cause);
}
