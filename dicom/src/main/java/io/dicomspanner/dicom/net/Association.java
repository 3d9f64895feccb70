package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.pdu.AAbort;
import io.dicomspanner.dicom.net.pdu.AAssociateAc;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.AReleaseRp;
import io.dicomspanner.dicom.net.pdu.AReleaseRq;
import io.dicomspanner.dicom.net.pdu.InvalidPduException;
import io.dicomspanner.dicom.net.pdu.PDataTf;
import io.dicomspanner.dicom.net.pdu.Pdu;
import io.dicomspanner.dicom.net.pdu.PduDecoder;
import io.dicomspanner.dicom.net.pdu.PduReadTimeoutException;
import io.dicomspanner.dicom.net.pdu.Pdv;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DICOM association over one TCP connection: the Upper Layer state machine (PS3.8 §9.2) with its timers, and
 * DIMSE message exchange on top (requests sent and their responses routed back by message ID; requests received and
 * handed to a {@link DimseRequestHandler}).
 *
 * <p>All state lives on the connection's Netty event loop. Public methods may be called from any thread: they queue
 * their work on the event loop in call order, so responses given from several threads keep the order in which the
 * calls happened.
 */
public final class Association {
    private static final Logger LOG = LoggerFactory.getLogger(Association.class);
    private static final AtomicInteger SERIALS = new AtomicInteger();

    /** The states of PS3.8 Table 9-10 that this implementation passes through (Sta3, Sta4, Sta9, Sta12 are brief). */
    enum State {
        /** Sta4: requestor, TCP connect in progress. */
        AWAITING_TRANSPORT,
        /** Sta2: acceptor, transport open, ARTIM running. */
        AWAITING_ASSOCIATE_RQ,
        /** Sta5: requestor, A-ASSOCIATE-RQ sent. */
        AWAITING_ASSOCIATE_AC,
        /** Sta6. */
        ESTABLISHED,
        /** Sta7: A-RELEASE-RQ sent. */
        AWAITING_RELEASE_RP,
        /** Sta8: A-RELEASE-RQ received, operations in progress finishing before A-RELEASE-RP. */
        AWAITING_LOCAL_RELEASE,
        /** Sta10: release collision, acceptor side, awaiting A-RELEASE-RP. */
        RELEASE_COLLISION_ACCEPTOR,
        /** Sta11: release collision, requestor side, A-RELEASE-RP sent, awaiting A-RELEASE-RP. */
        RELEASE_COLLISION_REQUESTOR,
        /** Sta13: A-ASSOCIATE-RJ, A-RELEASE-RP or A-ABORT sent; ARTIM running until the peer closes. */
        AWAITING_CLOSE,
        /** Sta1: transport closed. */
        CLOSED
    }

    private record Outstanding(int presentationContextId, DimseResponseHandler handler) {}

    private final int serial = SERIALS.incrementAndGet();
    private final Channel channel;
    private final DicomSettings settings;
    private final boolean requestor;
    private final AssociationRequest request;
    private final AcceptorPolicy policy;
    private final DimseRequestHandler requestHandler;
    private final DimseAssembler assembler;
    private final CompletableFuture<Association> established = new CompletableFuture<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicInteger lastMessageId = new AtomicInteger();

    private volatile State state;
    private volatile Negotiated negotiated;
    private volatile String label;

    // event-loop confined
    private final Map<Integer, Outstanding> outstanding = new HashMap<>();
    private final Map<Integer, CompletableFuture<Void>> performing = new HashMap<>();
    private final List<CompletableFuture<Void>> writabilityWaiters = new ArrayList<>();
    private AAssociateRq sentRq;
    private boolean transportActive;
    private ScheduledFuture<?> timer;
    private ScheduledFuture<?> idleTimer;
    private long lastReceivedNanos = System.nanoTime();
    private Throwable endCause;

    private Association(
            Channel channel,
            DicomSettings settings,
            boolean requestor,
            AssociationRequest request,
            AcceptorPolicy policy,
            DimseRequestHandler requestHandler) {
        this.channel = channel;
        this.settings = settings;
        this.requestor = requestor;
        this.request = request;
        this.policy = policy;
        this.requestHandler = requestHandler;
        this.assembler = new DimseAssembler(settings.maxMessageSize());
        this.state = requestor ? State.AWAITING_TRANSPORT : State.AWAITING_ASSOCIATE_RQ;
        this.label = requestor
                ? request.callingAeTitle() + "->" + request.calledAeTitle() + "#" + serial
                : "acceptor#" + serial;
    }

    static Association requestor(
            Channel channel, DicomSettings settings, AssociationRequest request, DimseRequestHandler handler) {
        return new Association(channel, settings, true, request, null, handler);
    }

    static Association acceptor(Channel channel, DicomSettings settings, AcceptorPolicy policy) {
        return new Association(channel, settings, false, null, policy, policy.requestHandler());
    }

    // ---------------------------------------------------------------- public API: what was negotiated

    /** True if this side sent the A-ASSOCIATE-RQ. */
    public boolean isRequestor() {
        return requestor;
    }

    /** True from A-ASSOCIATE-AC until release or abort begins: new operations may be started. */
    public boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /** The connection, for tests of this package that watch what goes out on it. */
    Channel channel() {
        return channel;
    }

    /** Completed once the transport is closed, however the association ended. Never completes exceptionally. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    public SocketAddress localAddress() {
        return channel.localAddress();
    }

    /**
     * The certificate chain the peer presented in the TLS handshake, its own certificate first, verified against this
     * side's trusted authorities. Empty on a plain connection, before the handshake, or when the peer presented none
     * (a server that does not ask clients for certificates).
     */
    public List<X509Certificate> peerCertificates() {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null || !tls.handshakeFuture().isSuccess()) {
            return List.of();
        }
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : tls.engine().getSession().getPeerCertificates()) {
                if (c instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    /** The A-ASSOCIATE-RQ sent or received; {@code null} before it. */
    public AAssociateRq associateRq() {
        Negotiated n = negotiated;
        return n == null ? null : n.rq();
    }

    /** The A-ASSOCIATE-AC sent or received; {@code null} before it. */
    public AAssociateAc associateAc() {
        Negotiated n = negotiated;
        return n == null ? null : n.ac();
    }

    public String callingAeTitle() {
        Negotiated n = negotiated;
        return n != null ? n.rq().callingAeTitle() : request != null ? request.callingAeTitle() : null;
    }

    public String calledAeTitle() {
        Negotiated n = negotiated;
        return n != null ? n.rq().calledAeTitle() : request != null ? request.calledAeTitle() : null;
    }

    /** The accepted presentation contexts, by ID; empty before establishment. */
    public List<PresentationContext> presentationContexts() {
        Negotiated n = negotiated;
        return n == null ? List.of() : n.contextList();
    }

    /** The first accepted presentation context for an abstract syntax. */
    public Optional<PresentationContext> presentationContext(String abstractSyntax) {
        Negotiated n = negotiated;
        return n == null ? Optional.empty() : Optional.ofNullable(n.context(abstractSyntax));
    }

    /** Operations this side may have outstanding at once; 0 = unlimited, 1 without asynchronous operations. */
    public int maxOperationsInvoked() {
        Negotiated n = negotiated;
        return n == null ? 1 : n.maxOperationsInvoked();
    }

    /** Operations this side performs at once for the peer; 0 = unlimited. */
    public int maxOperationsPerformed() {
        Negotiated n = negotiated;
        return n == null ? 1 : n.maxOperationsPerformed();
    }

    /** The largest P-DATA-TF variable field this side sends: the peer's maximum, capped by the settings. */
    public int maxPduLengthSend() {
        Negotiated n = negotiated;
        return n == null ? settings.maxPduLengthSend() : n.maxPduLengthSend();
    }

    /**
     * The SOP class extended negotiation in the A-ASSOCIATE-AC for a SOP class: what the acceptor agreed to. Empty
     * means nothing beyond the baseline (no relational queries, ...).
     */
    public Optional<SopClassExtendedNegotiation> extendedNegotiation(String sopClassUid) {
        Negotiated n = negotiated;
        return n == null ? Optional.empty() : n.ac().userInformation().extendedNegotiation(sopClassUid);
    }

    /** The user identity the requestor offered; as acceptor, one the verifier accepted. */
    public Optional<UserIdentityRq> userIdentity() {
        Negotiated n = negotiated;
        return n == null ? Optional.empty() : n.rq().userInformation().userIdentity();
    }

    /** The settings this association was opened with. */
    public DicomSettings settings() {
        return settings;
    }

    /** The event loop this association runs on, for timers that belong to it. */
    public ScheduledExecutorService executor() {
        return channel.eventLoop();
    }

    /** Completed with this association on A-ASSOCIATE-AC; exceptionally on reject, abort, timeout or close. */
    CompletableFuture<Association> establishedFuture() {
        return established;
    }

    // ---------------------------------------------------------------- public API: DIMSE

    /**
     * Sends a request on the first presentation context accepted for {@code abstractSyntax}. Message ID (0000,0110)
     * is assigned here and set in {@code command}; the data set is encoded in the context's transfer syntax on the
     * calling thread. Responses go to {@code handler} on the event loop; a failure (no such context, association not
     * established, operations window full, association ended) goes to {@link DimseResponseHandler#onFailure}.
     *
     * @return the message ID, for {@link #cancel(int)}
     */
    public int invoke(String abstractSyntax, Attributes command, Attributes dataset, DimseResponseHandler handler) {
        int messageId = nextMessageId();
        command.setInt(Tag.MESSAGE_ID, VR.US, messageId);
        Negotiated n = negotiated;
        PresentationContext pc = n == null ? null : n.context(abstractSyntax);
        byte[] commandBytes;
        byte[] datasetBytes;
        try {
            if (pc == null) {
                throw new DicomNetworkException(
                        n == null
                                ? "association " + this + " is not established"
                                : "no presentation context accepted for " + SopClasses.name(abstractSyntax) + " on "
                                        + this);
            }
            commandBytes = Commands.encode(command);
            datasetBytes = dataset == null ? null : DicomWriter.encode(dataset, pc.transferSyntax());
        } catch (DicomNetworkException | RuntimeException e) {
            channel.eventLoop().execute(() -> handler.onFailure(e));
            return messageId;
        }
        channel.eventLoop().execute(() -> sendRequest(messageId, pc, commandBytes, datasetBytes, handler));
        return messageId;
    }

    /** Sends C-CANCEL-RQ for an outstanding request; nothing if its final response already came. */
    public void cancel(int messageId) {
        channel.eventLoop().execute(() -> {
            Outstanding o = outstanding.get(messageId);
            if (o != null && canSendData()) {
                LOG.debug("{}: C-CANCEL-RQ for message {}", this, messageId);
                MessageWriter.write(
                        channel,
                        o.presentationContextId(),
                        Commands.encode(Commands.cancelRq(messageId)),
                        null,
                        negotiated.maxPduLengthSend());
            }
        });
    }

    /**
     * Sends a response to a received request, from any thread. The data set is encoded on the calling thread in the
     * request's transfer syntax. After the final (non-pending) response, further responses to the same request are
     * dropped, so a late handler cannot send after a cancel was answered.
     */
    public void respond(DimseMessage request, Attributes command, Attributes dataset) {
        PresentationContext pc = request.presentationContext();
        int messageId = request.messageId();
        boolean last = !Status.isPending(command.getInt(Tag.STATUS, Status.SUCCESS));
        byte[] commandBytes = Commands.encode(command);
        byte[] datasetBytes = dataset == null ? null : DicomWriter.encode(dataset, pc.transferSyntax());
        channel.eventLoop().execute(() -> {
            if (!performing.containsKey(messageId)) {
                LOG.debug(
                        "{}: response to message {} after its final response or the association's end; dropped",
                        this,
                        messageId);
                return;
            }
            if (last) {
                performing.remove(messageId);
            }
            if (canSendData()) {
                MessageWriter.write(channel, pc.id(), commandBytes, datasetBytes, negotiated.maxPduLengthSend());
            }
            if (state == State.AWAITING_LOCAL_RELEASE && performing.isEmpty()) {
                sendReleaseRp();
            }
        });
    }

    /**
     * Completed when the connection can take more outgoing data without queueing past the write buffer high water
     * mark; exceptionally if the association ends first. An SCP producing many responses waits on it.
     */
    public CompletableFuture<Void> whenWritable() {
        if (channel.isWritable()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (state == State.CLOSED || state == State.AWAITING_CLOSE) {
                f.completeExceptionally(endCause != null ? endCause : new DicomNetworkException(this + " has ended"));
            } else if (channel.isWritable()) {
                f.complete(null);
            } else {
                writabilityWaiters.add(f);
            }
        });
        return f;
    }

    /**
     * Stops or resumes reading from the connection (flow control for a slow consumer of responses). While stopped, at
     * most the bytes already read (one socket read, plus one PDU) are still delivered.
     */
    public void setReading(boolean reading) {
        channel.eventLoop().execute(() -> {
            channel.config().setAutoRead(reading);
            if (reading) {
                channel.read();
            }
        });
    }

    /**
     * Releases the association (A-RELEASE-RQ, then waits for A-RELEASE-RP up to the release timeout, aborting if none
     * comes). The future completes when the transport is closed.
     */
    public CompletableFuture<Void> release() {
        channel.eventLoop().execute(() -> {
            if (state != State.ESTABLISHED) {
                if (state != State.CLOSED && state != State.AWAITING_CLOSE && state != State.AWAITING_RELEASE_RP) {
                    abortWith(
                            AAbort.byServiceUser(),
                            new DicomNetworkException("released before A-ASSOCIATE-AC"),
                            "release requested before the association was established");
                }
                return;
            }
            LOG.debug("{}: sending A-RELEASE-RQ", this);
            cancelIdleTimer();
            state = State.AWAITING_RELEASE_RP;
            channel.writeAndFlush(AReleaseRq.INSTANCE);
            startTimer(
                    settings.releaseTimeout(),
                    () -> abortWith(
                            AAbort.byServiceUser(),
                            new DicomTimeoutException("no A-RELEASE-RP within "
                                    + settings.releaseTimeout().toMillis() + " ms"),
                            "no A-RELEASE-RP within the release timeout"));
        });
        return closeFuture;
    }

    /** Aborts the association (A-ABORT, service user). Outstanding operations fail at once. */
    public void abort() {
        channel.eventLoop()
                .execute(() -> abortWith(
                        AAbort.byServiceUser(),
                        new AssociationAbortedException("aborted by this side", AAbort.byServiceUser(), false),
                        "aborted by the application"));
    }

    /**
     * Aborts the association and closes the connection as soon as the A-ABORT is written, for a client or server that
     * is shutting down. PS3.8 lets the aborting side wait (ARTIM) for the peer to close, and a peer that is itself
     * waiting for us to close (it answered our A-RELEASE-RQ, Sta13) ignores the A-ABORT: both would wait out ARTIM.
     */
    public void abortAndClose() {
        channel.eventLoop().execute(() -> {
            abortWith(
                    AAbort.byServiceUser(),
                    new AssociationAbortedException("aborted by this side", AAbort.byServiceUser(), false),
                    "aborted by the application, which is closing");
            // Written after the A-ABORT, so its completion means the A-ABORT is on the wire.
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
    }

    /** "SPANNER->PACS#12 /127.0.0.1:11112". */
    @Override
    public String toString() {
        return label + " " + channel.remoteAddress();
    }

    // ---------------------------------------------------------------- events from the pipeline (event loop)

    void onTransportActive() {
        if (transportActive) {
            // a second TLS handshake event (renegotiation) does not start the association again
            return;
        }
        transportActive = true;
        if (requestor) {
            sentRq = request.toPdu(settings);
            state = State.AWAITING_ASSOCIATE_AC;
            channel.writeAndFlush(sentRq);
            startTimer(
                    settings.associateTimeout(),
                    () -> abortWith(
                            AAbort.byServiceUser(),
                            new DicomTimeoutException("no A-ASSOCIATE-AC within "
                                    + settings.associateTimeout().toMillis() + " ms"),
                            "no answer to A-ASSOCIATE-RQ within the associate timeout"));
        } else {
            state = State.AWAITING_ASSOCIATE_RQ;
            startTimer(settings.artimTimeout(), () -> {
                LOG.warn(
                        "{}: no A-ASSOCIATE-RQ within ARTIM {} ms; closing",
                        this,
                        settings.artimTimeout().toMillis());
                endCause = new DicomTimeoutException("no A-ASSOCIATE-RQ within ARTIM");
                closeTransport();
            });
        }
    }

    void onPdu(Pdu pdu) {
        lastReceivedNanos = System.nanoTime();
        switch (state) {
            case AWAITING_ASSOCIATE_RQ -> {
                if (pdu instanceof AAssociateRq rq) {
                    onAssociateRq(rq);
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            case AWAITING_ASSOCIATE_AC -> {
                if (pdu instanceof AAssociateAc ac) {
                    onAssociateAc(ac);
                } else if (pdu instanceof AAssociateRj rj) {
                    onAssociateRj(rj);
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            case ESTABLISHED -> {
                if (pdu instanceof PDataTf p) {
                    onPData(p);
                } else if (pdu instanceof AReleaseRq) {
                    onReleaseRq();
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            case AWAITING_RELEASE_RP -> {
                if (pdu instanceof PDataTf p) {
                    onPData(p);
                } else if (pdu instanceof AReleaseRp) {
                    LOG.debug("{}: released", this);
                    cancelTimer();
                    endCause = new DicomNetworkException("association " + this + " released");
                    failOperations();
                    closeTransport();
                } else if (pdu instanceof AReleaseRq) {
                    // release collision (PS3.8 §7.2.2): the requestor answers first, the acceptor waits for it
                    if (requestor) {
                        channel.writeAndFlush(AReleaseRp.INSTANCE);
                        state = State.RELEASE_COLLISION_REQUESTOR;
                    } else {
                        state = State.RELEASE_COLLISION_ACCEPTOR;
                    }
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            case RELEASE_COLLISION_REQUESTOR -> {
                if (pdu instanceof AReleaseRp) {
                    cancelTimer();
                    failOperations();
                    closeTransport();
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            case RELEASE_COLLISION_ACCEPTOR -> {
                if (pdu instanceof AReleaseRp) {
                    channel.writeAndFlush(AReleaseRp.INSTANCE);
                    failOperations();
                    awaitClose();
                } else {
                    onPduInOtherStates(pdu);
                }
            }
            default -> onPduInOtherStates(pdu);
        }
    }

    private void onPduInOtherStates(Pdu pdu) {
        if (state == State.AWAITING_CLOSE || state == State.CLOSED) {
            return;
        }
        if (pdu instanceof AAbort a) {
            LOG.info("{}: peer aborted the association: {}", this, a);
            endCause = new AssociationAbortedException("peer aborted the association", a, true);
            cancelTimer();
            cancelIdleTimer();
            failOperations();
            established.completeExceptionally(endCause);
            closeTransport();
            return;
        }
        AAbort abort = AAbort.byServiceProvider(AAbort.REASON_UNEXPECTED_PDU);
        abortWith(
                abort,
                new AssociationAbortedException("peer sent " + pdu.type() + " in state " + state, abort, false),
                "unexpected " + pdu.type() + " in state " + state);
    }

    void onTransportError(Throwable error) {
        Throwable cause = error instanceof DecoderException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof InvalidPduException e) {
            AAbort abort = e.toAbort();
            abortWith(
                    abort,
                    new AssociationAbortedException("peer sent an invalid PDU: " + e.getMessage(), abort, false, e),
                    "invalid PDU: " + e.getMessage());
        } else if (cause instanceof PduReadTimeoutException e) {
            AAbort abort = AAbort.byServiceProvider(AAbort.REASON_NOT_SPECIFIED);
            abortWith(
                    abort,
                    new AssociationAbortedException("peer stalled mid-PDU: " + e.getMessage(), abort, false, e),
                    e.getMessage());
        } else if (cause instanceof SSLException || cause instanceof NotSslRecordException) {
            onTlsFailure(cause);
        } else if (cause instanceof IOException) {
            if (endCause == null) {
                LOG.info("{}: transport failed: {}", this, cause.toString());
                endCause = new DicomNetworkException("transport failed: " + cause.getMessage(), cause);
            }
            closeTransport();
        } else {
            LOG.error("{}: unexpected failure; aborting", this, cause);
            abortWith(
                    AAbort.byServiceUser(),
                    new DicomNetworkException("internal failure: " + cause, cause),
                    "internal failure");
        }
    }

    void onTlsFailure(Throwable cause) {
        if (endCause == null) {
            LOG.warn("{}: TLS handshake failed: {}", this, cause.toString());
            endCause = new DicomNetworkException(
                    "TLS handshake with " + channel.remoteAddress() + " failed: " + cause.getMessage(), cause);
            SslHandler tls = channel.pipeline().get(SslHandler.class);
            boolean duringHandshake = tls == null || !tls.handshakeFuture().isSuccess();
            if (policy != null && policy.onTlsHandshakeFailure() != null && duringHandshake) {
                try {
                    policy.onTlsHandshakeFailure().accept(channel.remoteAddress(), cause);
                } catch (RuntimeException e) {
                    LOG.error("{}: TLS failure listener failed", this, e);
                }
            }
        }
        closeTransport();
    }

    void onTransportClosed() {
        State previous = state;
        state = State.CLOSED;
        cancelTimer();
        cancelIdleTimer();
        if (endCause == null) {
            endCause = new DicomNetworkException(
                    "connection to " + channel.remoteAddress() + " closed without A-RELEASE or A-ABORT");
            if (previous == State.ESTABLISHED || previous == State.AWAITING_ASSOCIATE_AC) {
                LOG.warn("{}: peer closed the connection in state {}", this, previous);
            }
        }
        failOperations();
        established.completeExceptionally(endCause);
        for (CompletableFuture<Void> w : writabilityWaiters) {
            w.completeExceptionally(endCause);
        }
        writabilityWaiters.clear();
        closeFuture.complete(null);
    }

    void onWritabilityChanged() {
        if (channel.isWritable() && !writabilityWaiters.isEmpty()) {
            List<CompletableFuture<Void>> ready = new ArrayList<>(writabilityWaiters);
            writabilityWaiters.clear();
            for (CompletableFuture<Void> w : ready) {
                w.complete(null);
            }
        }
    }

    // ---------------------------------------------------------------- association establishment

    private void onAssociateRq(AAssociateRq rq) {
        cancelTimer();
        label = rq.callingAeTitle() + "->" + rq.calledAeTitle() + "#" + serial;
        Pdu answer = AcceptorNegotiation.answer(rq, policy, settings, channel.remoteAddress(), peerCertificates());
        if (answer instanceof AAssociateRj rj) {
            LOG.info("{}: rejecting A-ASSOCIATE-RQ: {}", this, rj);
            endCause = new AssociationRejectedException("association rejected by this side", rj);
            channel.writeAndFlush(rj);
            established.completeExceptionally(endCause);
            awaitClose();
            return;
        }
        AAssociateAc ac = (AAssociateAc) answer;
        List<String> unusable = new ArrayList<>();
        negotiated = Negotiated.of(rq, ac, false, settings, unusable);
        state = State.ESTABLISHED;
        if (policy.onEstablished() != null) {
            // before the A-ASSOCIATE-AC goes out, so the listener knows the association before the peer can use it
            try {
                policy.onEstablished().accept(this);
            } catch (RuntimeException e) {
                LOG.error("{}: association listener failed", this, e);
            }
        }
        channel.writeAndFlush(ac);
        LOG.info(
                "{}: accepted, {} of {} presentation contexts, peer implementation {} {}",
                this,
                negotiated.contexts().size(),
                rq.presentationContexts().size(),
                rq.userInformation().implementationClassUid(),
                rq.userInformation().implementationVersionName());
        startIdleTimer();
        established.complete(this);
    }

    private void onAssociateAc(AAssociateAc ac) {
        cancelTimer();
        List<String> unusable = new ArrayList<>();
        negotiated = Negotiated.of(sentRq, ac, true, settings, unusable);
        for (String line : unusable) {
            LOG.warn("{}: peer {}; context not used", this, line);
        }
        state = State.ESTABLISHED;
        LOG.debug(
                "{}: established, {} presentation contexts accepted, max PDU sent {}, operations window {}",
                this,
                negotiated.contexts().size(),
                negotiated.maxPduLengthSend(),
                negotiated.maxOperationsInvoked());
        established.complete(this);
    }

    private void onAssociateRj(AAssociateRj rj) {
        cancelTimer();
        LOG.info("{}: association rejected: {}", this, rj);
        endCause = new AssociationRejectedException("association rejected by " + request.calledAeTitle(), rj);
        established.completeExceptionally(endCause);
        closeTransport();
    }

    // ---------------------------------------------------------------- release

    private void onReleaseRq() {
        cancelIdleTimer();
        if (performing.isEmpty()) {
            sendReleaseRp();
            return;
        }
        LOG.debug("{}: A-RELEASE-RQ with {} operations in progress; cancelling them first", this, performing.size());
        state = State.AWAITING_LOCAL_RELEASE;
        for (CompletableFuture<Void> c : new ArrayList<>(performing.values())) {
            c.complete(null);
        }
        startTimer(settings.releaseTimeout(), this::sendReleaseRp);
    }

    private void sendReleaseRp() {
        if (state != State.ESTABLISHED && state != State.AWAITING_LOCAL_RELEASE) {
            return;
        }
        cancelTimer();
        LOG.debug("{}: released by peer", this);
        endCause = new DicomNetworkException("association " + this + " released by the peer");
        // No longer established before the A-RELEASE-RP goes out: the peer may open its next association the moment
        // the RP arrives, and a server that counts its established associations against a limit must not count
        // this one then (the write can put the RP on the wire before this thread gets on).
        awaitClose();
        channel.writeAndFlush(AReleaseRp.INSTANCE);
        failOperations();
    }

    // ---------------------------------------------------------------- abort and close

    private void abortWith(AAbort abort, Throwable cause, String why) {
        if (state == State.AWAITING_CLOSE || state == State.CLOSED) {
            return;
        }
        if (abort.source() == AAbort.SOURCE_SERVICE_PROVIDER || cause instanceof DicomTimeoutException) {
            LOG.warn("{}: aborting ({}): {}", this, abort, why);
        } else {
            LOG.info("{}: aborting ({}): {}", this, abort, why);
        }
        endCause = cause;
        cancelTimer();
        cancelIdleTimer();
        boolean connected = state != State.AWAITING_TRANSPORT;
        // no longer established before the peer can learn of the abort, as for a release
        awaitClose();
        if (connected) {
            channel.writeAndFlush(abort);
        }
        failOperations();
        established.completeExceptionally(cause);
    }

    /** Sta13: the association is gone; drop all input and close when the peer does, or when ARTIM expires. */
    private void awaitClose() {
        state = State.AWAITING_CLOSE;
        PduDecoder decoder = channel.pipeline().get(PduDecoder.class);
        if (decoder != null) {
            decoder.discardInput();
        }
        startTimer(settings.artimTimeout(), () -> {
            LOG.debug("{}: ARTIM expired awaiting the peer's close; closing", this);
            closeTransport();
        });
    }

    /** Fails outstanding requests and signals cancel to requests being performed; the association is ending. */
    private void failOperations() {
        Throwable cause = endCause != null ? endCause : new DicomNetworkException(this + " has ended");
        if (!outstanding.isEmpty()) {
            List<Outstanding> failed = new ArrayList<>(outstanding.values());
            outstanding.clear();
            for (Outstanding o : failed) {
                try {
                    o.handler().onFailure(cause);
                } catch (RuntimeException e) {
                    LOG.error("{}: response handler failed", this, e);
                }
            }
        }
        if (!performing.isEmpty()) {
            List<CompletableFuture<Void>> cancelled = new ArrayList<>(performing.values());
            performing.clear();
            for (CompletableFuture<Void> c : cancelled) {
                c.complete(null);
            }
        }
    }

    // ---------------------------------------------------------------- DIMSE on the event loop

    private void sendRequest(
            int messageId, PresentationContext pc, byte[] command, byte[] dataset, DimseResponseHandler handler) {
        if (state != State.ESTABLISHED) {
            handler.onFailure(
                    endCause != null && state != State.AWAITING_ASSOCIATE_AC
                            ? endCause
                            : new DicomNetworkException("association " + this + " is not established (" + state + ")"));
            return;
        }
        int window = negotiated.maxOperationsInvoked();
        if (window != 0 && outstanding.size() >= window) {
            handler.onFailure(new DicomNetworkException("asynchronous operations window of " + window + " on " + this
                    + " is full: wait for a final response first"));
            return;
        }
        outstanding.put(messageId, new Outstanding(pc.id(), handler));
        MessageWriter.write(channel, pc.id(), command, dataset, negotiated.maxPduLengthSend());
    }

    private void onPData(PDataTf p) {
        try {
            for (Pdv pdv : p.pdvs()) {
                PresentationContext pc = negotiated.contexts().get(pdv.presentationContextId());
                if (pc == null) {
                    throw new InvalidPduException(
                            AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                            "PDV on presentation context " + pdv.presentationContextId() + ", which was not accepted");
                }
                DimseAssembler.Assembled m = assembler.add(pdv);
                if (m != null) {
                    dispatch(new DimseMessage(pc, m.command(), m.dataset()));
                }
                if (state == State.AWAITING_CLOSE || state == State.CLOSED) {
                    return;
                }
            }
        } catch (InvalidPduException e) {
            onTransportError(e);
        } catch (DicomNetworkException e) {
            abortWith(
                    AAbort.byServiceUser(),
                    new AssociationAbortedException(e.getMessage(), AAbort.byServiceUser(), false, e),
                    e.getMessage());
        }
    }

    private void dispatch(DimseMessage message) {
        int field = message.commandField();
        if (CommandField.isResponse(field)) {
            onResponse(message);
        } else if (field == CommandField.C_CANCEL_RQ) {
            CompletableFuture<Void> c = performing.get(message.messageIdBeingRespondedTo());
            LOG.debug(
                    "{}: C-CANCEL-RQ for message {}{}",
                    this,
                    message.messageIdBeingRespondedTo(),
                    c == null ? ", which is not in progress" : "");
            if (c != null) {
                c.complete(null);
            }
        } else {
            onRequest(message);
        }
    }

    private void onResponse(DimseMessage response) {
        int id = response.messageIdBeingRespondedTo();
        Outstanding o = outstanding.get(id);
        if (o == null) {
            LOG.warn(
                    "{}: {} for message {}, which is not outstanding; ignored",
                    this,
                    CommandField.name(response.commandField()),
                    id);
            return;
        }
        if (!Status.isPending(response.status())) {
            outstanding.remove(id);
        }
        try {
            o.handler().onResponse(response);
        } catch (RuntimeException e) {
            LOG.error("{}: response handler for message {} failed", this, id, e);
        }
    }

    private void onRequest(DimseMessage request) {
        int id = request.messageId();
        int window = negotiated.maxOperationsPerformed();
        int refusal = -1;
        if (performing.containsKey(id)) {
            refusal = Status.DUPLICATE_INVOCATION;
        } else if (window != 0 && performing.size() >= window) {
            refusal = request.commandField() == CommandField.C_FIND_RQ
                    ? Status.OUT_OF_RESOURCES
                    : Status.PROCESSING_FAILURE;
        }
        if (refusal != -1) {
            LOG.warn(
                    "{}: refusing {} (message {}) with {}: {} operations already in progress",
                    this,
                    CommandField.name(request.commandField()),
                    id,
                    Status.toString(refusal),
                    performing.size());
            Attributes rsp = Commands.response(
                    request.command(), refusal, false, "operations window of " + window + " exceeded");
            MessageWriter.write(
                    channel,
                    request.presentationContext().id(),
                    Commands.encode(rsp),
                    null,
                    negotiated.maxPduLengthSend());
            return;
        }
        CompletableFuture<Void> cancelled = new CompletableFuture<>();
        performing.put(id, cancelled);
        try {
            requestHandler.onRequest(this, request, cancelled);
        } catch (RuntimeException e) {
            LOG.error("{}: handler for {} (message {}) failed", this, CommandField.name(request.commandField()), id, e);
            respond(
                    request,
                    Commands.response(request.command(), Status.PROCESSING_FAILURE, false, "internal error"),
                    null);
        }
    }

    private boolean canSendData() {
        return state == State.ESTABLISHED || state == State.AWAITING_LOCAL_RELEASE;
    }

    private int nextMessageId() {
        // message IDs are 16-bit; 0 is avoided because some peers treat it as "none"
        return lastMessageId.updateAndGet(i -> i >= 0xFFFF ? 1 : i + 1);
    }

    /**
     * Closes the connection; the association is gone at once, before the close completes, so nobody starts an
     * operation on it in between.
     */
    private void closeTransport() {
        if (state != State.CLOSED) {
            state = State.AWAITING_CLOSE;
        }
        channel.close();
    }

    // ---------------------------------------------------------------- timers

    private void startTimer(Duration delay, Runnable action) {
        cancelTimer();
        timer = channel.eventLoop()
                .schedule(
                        () -> {
                            timer = null;
                            action.run();
                        },
                        delay.toNanos(),
                        TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void startIdleTimer() {
        long idle = settings.acceptorIdleTimeout().toNanos();
        if (!requestor && idle > 0) {
            idleTimer = channel.eventLoop().schedule(this::checkIdle, idle, TimeUnit.NANOSECONDS);
        }
    }

    private void checkIdle() {
        idleTimer = null;
        if (state != State.ESTABLISHED) {
            return;
        }
        long idle = settings.acceptorIdleTimeout().toNanos();
        long quiet = System.nanoTime() - lastReceivedNanos;
        if (performing.isEmpty() && !assembler.inProgress() && quiet >= idle) {
            abortWith(
                    AAbort.byServiceUser(),
                    new DicomTimeoutException("idle for " + TimeUnit.NANOSECONDS.toSeconds(quiet) + " s"),
                    "no request for " + settings.acceptorIdleTimeout().toSeconds() + " s (acceptor idle timeout)");
            return;
        }
        long next = performing.isEmpty() ? idle - quiet : idle;
        idleTimer = channel.eventLoop().schedule(this::checkIdle, Math.max(next, 1), TimeUnit.NANOSECONDS);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }
}
