package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.Priority;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** One C-FIND as an SCP receives it: the query, who asks, what was negotiated, and whether it was cancelled. */
public final class FindRequest {
    private final Association association;
    private final String sopClassUid;
    private final int messageId;
    private final Priority priority;
    private final Attributes identifier;
    private final QueryOptions queryOptions;
    private final CompletableFuture<Void> cancelled;

    FindRequest(
            Association association,
            String sopClassUid,
            int messageId,
            Priority priority,
            Attributes identifier,
            QueryOptions queryOptions,
            CompletableFuture<Void> cancelled) {
        this.association = association;
        this.sopClassUid = sopClassUid;
        this.messageId = messageId;
        this.priority = priority;
        this.identifier = identifier;
        this.queryOptions = queryOptions;
        this.cancelled = cancelled;
    }

    /** The information model: {@code SopClasses.STUDY_ROOT_QUERY_FIND} etc. */
    public String sopClassUid() {
        return sopClassUid;
    }

    public int messageId() {
        return messageId;
    }

    public Priority priority() {
        return priority;
    }

    /** The query keys as received, in the requestor's character set. */
    public Attributes identifier() {
        return identifier;
    }

    /** PATIENT, STUDY, SERIES or IMAGE (already checked against the information model). */
    public String queryRetrieveLevel() {
        return identifier.getString(Tag.QUERY_RETRIEVE_LEVEL);
    }

    /** Extended negotiation agreed for this SOP class on this association: relational queries etc. */
    public QueryOptions queryOptions() {
        return queryOptions;
    }

    public String callingAeTitle() {
        return association.callingAeTitle();
    }

    public String calledAeTitle() {
        return association.calledAeTitle();
    }

    public SocketAddress remoteAddress() {
        return association.remoteAddress();
    }

    /** The user identity the requestor offered, if any (verified if the server has a verifier). */
    public Optional<UserIdentityRq> userIdentity() {
        return association.userIdentity();
    }

    public Association association() {
        return association;
    }

    /** Completes when the requestor sent C-CANCEL or the association ended; the SCP has answered already. */
    public CompletionStage<Void> cancelled() {
        return cancelled;
    }

    public boolean isCancelled() {
        return cancelled.isDone();
    }

    void signalCancelled() {
        cancelled.complete(null);
    }
}
