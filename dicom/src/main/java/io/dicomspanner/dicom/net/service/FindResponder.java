package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import java.util.concurrent.CompletionStage;

/**
 * Sends the responses of one C-FIND, from any thread. Calls are sent in the order they are made. After {@link
 * #complete} or a cancel, further calls are ignored.
 */
public interface FindResponder {
    /** One match: a Pending (FF00H) response carrying {@code identifier}, encoded in the request's transfer syntax. */
    void pending(Attributes identifier);

    /**
     * One match with an explicit pending status: {@code Status.PENDING} or {@code Status.PENDING_WARNING} (FF01H,
     * optional keys not supported).
     */
    void pending(Attributes identifier, int status);

    /**
     * The final response: Success, or a failure status with an error comment (at most 64 characters are sent). It
     * never carries an identifier (some SCUs break on one: pydicom/pynetdicom#571).
     */
    void complete(int status, String errorComment);

    /**
     * A final failure response that also names the attribute at fault in Offending Element (0000,0901), as PS3.7 C.4
     * allows for failures such as C000H. The default drops the element, for responders that cannot send it.
     */
    default void complete(int status, String errorComment, int offendingElement) {
        complete(status, errorComment);
    }

    /** The final Success response. */
    default void complete() {
        complete(io.dicomspanner.dicom.net.Status.SUCCESS, null);
    }

    /**
     * Completes when the connection can take more responses without growing its send queue past the write buffer
     * high water mark; a handler producing many matches waits on it to bound memory.
     */
    CompletionStage<Void> writable();

    /** True after the final response was sent or the request was cancelled. */
    boolean isDone();
}
