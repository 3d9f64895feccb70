package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.DimseResponseHandler;
import io.dicomspanner.dicom.net.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One C-FIND in progress as SCU. Matches stream to a {@link FindResponseListener}; {@link #completion()} gives the
 * final status. Cancelling (by the caller, on the maximum number of matches, on a timeout, or because a response
 * could not be used) sends C-CANCEL and keeps reading until the final response; if that does not come within the
 * cancel timeout, the association is aborted.
 *
 * <p>Timeouts: the whole operation is bounded by the operation timeout, the silence between responses by the
 * response timeout. Either, on expiry, cancels as above and makes the operation fail with {@link
 * DicomTimeoutException}, even if the peer then answers Cancel.
 */
public final class FindOperation {
    private static final Logger LOG = LoggerFactory.getLogger(FindOperation.class);

    private final Association association;
    private final FindQuery query;
    private final FindResponseListener listener;
    private final CompletableFuture<FindOutcome> completion = new CompletableFuture<>();
    private final Duration operationTimeout;
    private final Duration responseTimeout;
    private volatile int messageId;

    // event-loop confined
    private int matches;
    private boolean cancelSent;
    private boolean optionalKeysUnsupported;
    private Throwable failure;
    private ScheduledFuture<?> operationTimer;
    private ScheduledFuture<?> responseTimer;
    private ScheduledFuture<?> cancelTimer;

    FindOperation(Association association, FindQuery query, FindResponseListener listener) {
        this.association = association;
        this.query = query;
        this.listener = listener;
        this.operationTimeout = query.operationTimeout() != null
                ? query.operationTimeout()
                : association.settings().operationTimeout();
        this.responseTimeout = query.responseTimeout() != null
                ? query.responseTimeout()
                : association.settings().responseTimeout();
    }

    void start() {
        messageId = association.invoke(
                query.sopClassUid(),
                Commands.findRq(query.sopClassUid(), query.priority()),
                query.keys(),
                new Handler());
        association.executor().execute(() -> {
            if (!completion.isDone()) {
                operationTimer = schedule(
                        operationTimeout,
                        () -> onTimeout("C-FIND did not complete within " + operationTimeout.toMillis() + " ms"));
                responseTimer = schedule(responseTimeout, this::onResponseTimeout);
            }
        });
    }

    /** The message ID of the C-FIND-RQ. */
    public int messageId() {
        return messageId;
    }

    public Association association() {
        return association;
    }

    /**
     * Completes with the final status once the final response arrived; fails if the association ended first, a
     * timeout expired, or a response could not be used.
     */
    public CompletableFuture<FindOutcome> completion() {
        return completion;
    }

    /** Sends C-CANCEL (once); no more matches are delivered. {@link #completion()} still waits for the final status. */
    public void cancel() {
        association.executor().execute(this::sendCancel);
    }

    /** Flow control: stops (false) or resumes (true) reading the association's connection. */
    public void setReading(boolean reading) {
        association.setReading(reading);
    }

    /** True once a response had status FF01H (some optional keys were not supported). */
    public boolean optionalKeysUnsupported() {
        return optionalKeysUnsupported;
    }

    private void onResponse(DimseMessage response) {
        int status = response.status();
        if (response.messageIdBeingRespondedTo() > 0) {
            messageId = response.messageIdBeingRespondedTo();
        }
        if (Status.isPending(status)) {
            restartResponseTimer();
            onPending(response, status);
            return;
        }
        cancelTimers();
        if (response.hasDataset()) {
            // pynetdicom#571: some SCPs put an identifier on the final response; it is not a match
            LOG.debug("{}: final C-FIND response carries an identifier; ignored", association);
        }
        if (failure != null) {
            completion.completeExceptionally(failure);
        } else {
            completion.complete(new FindOutcome(status, response.errorComment(), matches, cancelSent));
        }
    }

    private void onPending(DimseMessage response, int status) {
        if (cancelSent || failure != null) {
            return;
        }
        if (!response.hasDataset()) {
            LOG.warn("{}: pending C-FIND response without identifier; skipped", association);
            return;
        }
        if (status == Status.PENDING_WARNING) {
            optionalKeysUnsupported = true;
        }
        Attributes identifier;
        try {
            identifier = response.readDataset();
        } catch (DicomParseException e) {
            LOG.warn("{}: C-FIND response identifier does not parse: {}; cancelling", association, e.getMessage());
            failure = new DicomNetworkException("a C-FIND response identifier does not parse: " + e.getMessage(), e);
            sendCancel();
            return;
        }
        matches++;
        try {
            listener.onMatch(this, identifier);
        } catch (RuntimeException e) {
            LOG.warn("{}: C-FIND listener failed; cancelling", association, e);
            failure = e;
            sendCancel();
            return;
        }
        if (query.maxMatches() > 0 && matches >= query.maxMatches()) {
            LOG.debug("{}: {} matches reached; cancelling", association, matches);
            sendCancel();
        }
    }

    private void onFailure(Throwable cause) {
        cancelTimers();
        completion.completeExceptionally(failure != null ? failure : cause);
    }

    private void sendCancel() {
        if (cancelSent || completion.isDone()) {
            return;
        }
        cancelSent = true;
        association.cancel(messageId);
        cancelTimer = schedule(association.settings().cancelTimeout(), () -> {
            if (failure == null) {
                failure = new DicomTimeoutException("no final C-FIND response within "
                        + association.settings().cancelTimeout().toMillis() + " ms after C-CANCEL");
            }
            LOG.warn("{}: no final C-FIND response after C-CANCEL; aborting", association);
            association.abort();
        });
    }

    private void onTimeout(String why) {
        if (completion.isDone()) {
            return;
        }
        LOG.warn("{}: {}; cancelling", association, why);
        if (failure == null) {
            failure = new DicomTimeoutException(why);
        }
        if (cancelSent) {
            return;
        }
        sendCancel();
    }

    private void onResponseTimeout() {
        onTimeout("no C-FIND response for " + responseTimeout.toMillis() + " ms");
    }

    private void restartResponseTimer() {
        if (responseTimer != null) {
            responseTimer.cancel(false);
            responseTimer = schedule(responseTimeout, this::onResponseTimeout);
        }
    }

    private ScheduledFuture<?> schedule(Duration delay, Runnable action) {
        return association.executor().schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimers() {
        for (ScheduledFuture<?> t : new ScheduledFuture<?>[] {operationTimer, responseTimer, cancelTimer}) {
            if (t != null) {
                t.cancel(false);
            }
        }
        operationTimer = null;
        responseTimer = null;
        cancelTimer = null;
    }

    private final class Handler implements DimseResponseHandler {
        @Override
        public void onResponse(DimseMessage response) {
            FindOperation.this.onResponse(response);
        }

        @Override
        public void onFailure(Throwable cause) {
            FindOperation.this.onFailure(cause);
        }
    }
}
