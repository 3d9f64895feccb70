package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Status;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The answer to one C-FIND, produced as it is sent: each {@link #next()} is the identifier of one pending response
 * (status {@link #pendingStatus()}), and once {@link #hasNext()} is false, {@link #finalStatus()} is the status of the
 * final response. A refused query has no pending response at all.
 *
 * <p>Matches are searched for only when asked for, so a network layer can send each pending response as soon as it
 * exists and stop the search at any point: {@link #cancel()} (on a C-CANCEL, from any thread) makes the next
 * {@link #hasNext()} false and the final status FE00.
 *
 * <p>Not thread-safe apart from {@link #cancel()}: one thread consumes the responses.
 */
public final class FindResponses implements Iterator<Attributes> {
    private final MatchCursor cursor;
    private final FindPlan plan;
    private final int pendingStatus;
    private final int maxResults;
    private volatile boolean cancelRequested;
    private FindStatus finalStatus;
    private Attributes next;
    private int returned;
    private boolean truncated;

    private FindResponses(MatchCursor cursor, FindPlan plan, int pendingStatus, int maxResults, FindStatus refusal) {
        this.cursor = cursor;
        this.plan = plan;
        this.pendingStatus = pendingStatus;
        this.maxResults = maxResults;
        this.finalStatus = refusal;
    }

    /** Matches of a search, at most {@code maxResults} (0: all), then FE00 if more remained. */
    static FindResponses matches(MatchCursor cursor, FindPlan plan, int maxResults) {
        int pending = plan.ignoresKeyWithValue() ? Status.PENDING_WARNING : Status.PENDING;
        return new FindResponses(cursor, plan, pending, maxResults, null);
    }

    /** A query answered with a failure and no match. */
    public static FindResponses refused(FindStatus status) {
        if (!status.isFailure()) {
            throw new IllegalArgumentException(
                    "a refusal is a failure status, not " + Integer.toHexString(status.code()));
        }
        return new FindResponses(null, null, Status.PENDING, 0, status);
    }

    @Override
    public boolean hasNext() {
        if (finalStatus != null) {
            return false;
        }
        if (cancelRequested) {
            next = null;
            finalStatus = FindStatus.cancelled();
            return false;
        }
        if (next != null) {
            return true;
        }
        if (maxResults > 0 && returned >= maxResults) {
            truncated = cursor.hasNext();
            finalStatus = truncated ? FindStatus.cancelled() : FindStatus.success();
            return false;
        }
        if (!cursor.hasNext()) {
            finalStatus = FindStatus.success();
            return false;
        }
        next = plan.response(cursor.next());
        return true;
    }

    /** The identifier of the next pending response. */
    @Override
    public Attributes next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Attributes response = next;
        next = null;
        returned++;
        return response;
    }

    /**
     * The status of every pending response: FF01 when a key with a value was ignored because the PACS does not hold
     * that attribute, else FF00.
     */
    public int pendingStatus() {
        return pendingStatus;
    }

    /** The status of the final response; only once {@link #hasNext()} has returned false. */
    public FindStatus finalStatus() {
        if (finalStatus == null) {
            throw new IllegalStateException("pending responses remain; the final status is not known yet");
        }
        return finalStatus;
    }

    /** Stops the search (C-CANCEL): the next {@link #hasNext()} is false and the final status FE00. Thread-safe. */
    public void cancel() {
        cancelRequested = true;
    }

    /** Pending responses handed out so far. */
    public int returned() {
        return returned;
    }

    /** Whether the answer stopped at the PACS's max-results cap with matches left (final status FE00). */
    public boolean truncated() {
        return truncated;
    }
}
