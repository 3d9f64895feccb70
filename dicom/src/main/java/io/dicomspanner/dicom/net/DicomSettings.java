package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.TransferSyntax;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Every limit and timeout of the DICOM network layer, with its default. One instance configures a {@link DicomClient},
 * a {@link DicomServer} and an {@link io.dicomspanner.dicom.net.pool.AssociationPool}; build one with
 * {@link #builder()} or {@link #toBuilder()}.
 *
 * @param maxPduLengthReceive largest P-DATA-TF variable field this side accepts, announced to the peer in the maximum
 *     length sub-item; a longer P-DATA-TF is refused with A-ABORT. Default 65,536 bytes.
 * @param maxPduLengthSend largest P-DATA-TF variable field this side sends, even when the peer announces more or no
 *     limit (0). Default 65,536 bytes.
 * @param maxAssociatePduLength largest A-ASSOCIATE-RQ/AC accepted; a longer one is refused with A-ABORT. Default
 *     65,536 bytes (about 500 presentation contexts).
 * @param maxMessageSize largest DIMSE message (command plus data set) reassembled from PDVs; beyond it the association
 *     is aborted, so a hostile peer cannot exhaust memory. Default 8 MiB.
 * @param connectTimeout TCP connect plus TLS handshake. Default 10 s.
 * @param associateTimeout how long a requestor waits for A-ASSOCIATE-AC/RJ before aborting. Default 30 s.
 * @param artimTimeout the ARTIM timer (PS3.8 §9.1.5): how long an acceptor waits for A-ASSOCIATE-RQ after the
 *     connection opens, and how long either side waits for the peer to close after A-ASSOCIATE-RJ, A-RELEASE-RP or
 *     A-ABORT. Default 10 s.
 * @param pduReadTimeout how long a PDU may take to arrive once its first byte came; a peer that stalls mid-PDU is
 *     aborted. Default 30 s.
 * @param releaseTimeout how long a release requestor waits for A-RELEASE-RP before aborting. Default 5 s.
 * @param acceptorIdleTimeout an accepted association with no PDU received and no operation in progress for this long
 *     is aborted, so idle peers cannot hold the association slots; {@link Duration#ZERO} disables. Default 5 min.
 * @param operationTimeout default bound on a whole C-FIND (first request to final response) as SCU; on expiry
 *     C-CANCEL is sent. Default 5 min.
 * @param responseTimeout default bound on the silence between two responses of one operation as SCU (the idle or
 *     no-response timeout); on expiry C-CANCEL is sent (C-FIND) or the association aborted (C-ECHO). Default 60 s.
 * @param cancelTimeout how long to wait for the final response after C-CANCEL before aborting the association. Default
 *     10 s.
 * @param maxOperationsInvoked asynchronous operations window this side proposes as requestor (operations invoked
 *     without waiting); 1 means no asynchronous operations and the sub-item is not sent; 0 means unlimited. Default
 *     1.
 * @param maxOperationsPerformed operations this side performs at once on one association as acceptor, granted to a
 *     requestor that proposes a window; more concurrent requests are refused with a failure status. Default 1.
 * @param transferSyntaxes transfer syntaxes proposed as requestor and accepted as acceptor, in order of preference;
 *     the acceptor picks the first of this list that the requestor proposed. Default Explicit VR Little Endian, then
 *     Implicit VR Little Endian.
 * @param maxCollectedMatches bound on the matches a collecting C-FIND ({@code CFindScu.findAll}) keeps; on reaching
 *     it C-CANCEL is sent. Default 100,000.
 * @param eventLoopThreads Netty event loop threads of a client or server that creates its own group; all associations
 *     share them, so thousands of concurrent operations need no more threads. Default the number of processors.
 * @param maxAssociations associations a server holds at once; one more is rejected with A-ASSOCIATE-RJ transient,
 *     service-provider (presentation), local-limit-exceeded. Default 256.
 * @param acceptBacklog connections the operating system queues for a server before it accepts them. Default 1,024.
 * @param writeBufferHighWaterMark bytes queued for sending on one association above which it reports itself not
 *     writable, so an SCP handler can wait instead of queueing without bound. Default 256 KiB.
 * @param poolMaxAssociationsPerPeer hard maximum of open associations to one peer in an association pool. Default 4.
 * @param poolMaxWaitersPerPeer callers that may wait for an association to one peer; one more fails at once. Default
 *     1,024.
 * @param poolAcquireTimeout how long a caller waits for a pooled association before failing. Default 30 s.
 * @param poolIdleTimeout a pooled association unused for this long is released. Default 60 s.
 */
public record DicomSettings(
        int maxPduLengthReceive,
        int maxPduLengthSend,
        int maxAssociatePduLength,
        int maxMessageSize,
        Duration connectTimeout,
        Duration associateTimeout,
        Duration artimTimeout,
        Duration pduReadTimeout,
        Duration releaseTimeout,
        Duration acceptorIdleTimeout,
        Duration operationTimeout,
        Duration responseTimeout,
        Duration cancelTimeout,
        int maxOperationsInvoked,
        int maxOperationsPerformed,
        List<TransferSyntax> transferSyntaxes,
        int maxCollectedMatches,
        int eventLoopThreads,
        int maxAssociations,
        int acceptBacklog,
        int writeBufferHighWaterMark,
        int poolMaxAssociationsPerPeer,
        int poolMaxWaitersPerPeer,
        Duration poolAcquireTimeout,
        Duration poolIdleTimeout) {

    private static final DicomSettings DEFAULTS = new Builder().build();

    public DicomSettings {
        atLeast(maxPduLengthReceive, 256, "maxPduLengthReceive");
        atLeast(maxPduLengthSend, 256, "maxPduLengthSend");
        atLeast(maxAssociatePduLength, 1024, "maxAssociatePduLength");
        atLeast(maxMessageSize, 1024, "maxMessageSize");
        positive(connectTimeout, "connectTimeout");
        positive(associateTimeout, "associateTimeout");
        positive(artimTimeout, "artimTimeout");
        positive(pduReadTimeout, "pduReadTimeout");
        positive(releaseTimeout, "releaseTimeout");
        Objects.requireNonNull(acceptorIdleTimeout, "acceptorIdleTimeout");
        positive(operationTimeout, "operationTimeout");
        positive(responseTimeout, "responseTimeout");
        positive(cancelTimeout, "cancelTimeout");
        atLeast(maxOperationsInvoked, 0, "maxOperationsInvoked");
        atLeast(maxOperationsPerformed, 0, "maxOperationsPerformed");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        for (TransferSyntax ts : transferSyntaxes) {
            if (ts != TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN && ts != TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN) {
                throw new IllegalArgumentException("transfer syntax " + ts + " is not supported on the network");
            }
        }
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("transferSyntaxes is empty");
        }
        atLeast(maxCollectedMatches, 1, "maxCollectedMatches");
        atLeast(eventLoopThreads, 1, "eventLoopThreads");
        atLeast(maxAssociations, 1, "maxAssociations");
        atLeast(acceptBacklog, 1, "acceptBacklog");
        atLeast(writeBufferHighWaterMark, 1024, "writeBufferHighWaterMark");
        atLeast(poolMaxAssociationsPerPeer, 1, "poolMaxAssociationsPerPeer");
        atLeast(poolMaxWaitersPerPeer, 0, "poolMaxWaitersPerPeer");
        positive(poolAcquireTimeout, "poolAcquireTimeout");
        positive(poolIdleTimeout, "poolIdleTimeout");
    }

    public static DicomSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }

    /** Mutable builder holding the documented defaults until changed. */
    public static final class Builder {
        private int maxPduLengthReceive = 65_536;
        private int maxPduLengthSend = 65_536;
        private int maxAssociatePduLength = 65_536;
        private int maxMessageSize = 8 << 20;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration associateTimeout = Duration.ofSeconds(30);
        private Duration artimTimeout = Duration.ofSeconds(10);
        private Duration pduReadTimeout = Duration.ofSeconds(30);
        private Duration releaseTimeout = Duration.ofSeconds(5);
        private Duration acceptorIdleTimeout = Duration.ofMinutes(5);
        private Duration operationTimeout = Duration.ofMinutes(5);
        private Duration responseTimeout = Duration.ofSeconds(60);
        private Duration cancelTimeout = Duration.ofSeconds(10);
        private int maxOperationsInvoked = 1;
        private int maxOperationsPerformed = 1;
        private List<TransferSyntax> transferSyntaxes =
                List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        private int maxCollectedMatches = 100_000;
        private int eventLoopThreads = Runtime.getRuntime().availableProcessors();
        private int maxAssociations = 256;
        private int acceptBacklog = 1024;
        private int writeBufferHighWaterMark = 256 << 10;
        private int poolMaxAssociationsPerPeer = 4;
        private int poolMaxWaitersPerPeer = 1024;
        private Duration poolAcquireTimeout = Duration.ofSeconds(30);
        private Duration poolIdleTimeout = Duration.ofSeconds(60);

        Builder() {}

        Builder(DicomSettings s) {
            maxPduLengthReceive = s.maxPduLengthReceive;
            maxPduLengthSend = s.maxPduLengthSend;
            maxAssociatePduLength = s.maxAssociatePduLength;
            maxMessageSize = s.maxMessageSize;
            connectTimeout = s.connectTimeout;
            associateTimeout = s.associateTimeout;
            artimTimeout = s.artimTimeout;
            pduReadTimeout = s.pduReadTimeout;
            releaseTimeout = s.releaseTimeout;
            acceptorIdleTimeout = s.acceptorIdleTimeout;
            operationTimeout = s.operationTimeout;
            responseTimeout = s.responseTimeout;
            cancelTimeout = s.cancelTimeout;
            maxOperationsInvoked = s.maxOperationsInvoked;
            maxOperationsPerformed = s.maxOperationsPerformed;
            transferSyntaxes = s.transferSyntaxes;
            maxCollectedMatches = s.maxCollectedMatches;
            eventLoopThreads = s.eventLoopThreads;
            maxAssociations = s.maxAssociations;
            acceptBacklog = s.acceptBacklog;
            writeBufferHighWaterMark = s.writeBufferHighWaterMark;
            poolMaxAssociationsPerPeer = s.poolMaxAssociationsPerPeer;
            poolMaxWaitersPerPeer = s.poolMaxWaitersPerPeer;
            poolAcquireTimeout = s.poolAcquireTimeout;
            poolIdleTimeout = s.poolIdleTimeout;
        }

        public Builder maxPduLengthReceive(int v) {
            maxPduLengthReceive = v;
            return this;
        }

        public Builder maxPduLengthSend(int v) {
            maxPduLengthSend = v;
            return this;
        }

        public Builder maxAssociatePduLength(int v) {
            maxAssociatePduLength = v;
            return this;
        }

        public Builder maxMessageSize(int v) {
            maxMessageSize = v;
            return this;
        }

        public Builder connectTimeout(Duration v) {
            connectTimeout = v;
            return this;
        }

        public Builder associateTimeout(Duration v) {
            associateTimeout = v;
            return this;
        }

        public Builder artimTimeout(Duration v) {
            artimTimeout = v;
            return this;
        }

        public Builder pduReadTimeout(Duration v) {
            pduReadTimeout = v;
            return this;
        }

        public Builder releaseTimeout(Duration v) {
            releaseTimeout = v;
            return this;
        }

        public Builder acceptorIdleTimeout(Duration v) {
            acceptorIdleTimeout = v;
            return this;
        }

        public Builder operationTimeout(Duration v) {
            operationTimeout = v;
            return this;
        }

        public Builder responseTimeout(Duration v) {
            responseTimeout = v;
            return this;
        }

        public Builder cancelTimeout(Duration v) {
            cancelTimeout = v;
            return this;
        }

        public Builder maxOperationsInvoked(int v) {
            maxOperationsInvoked = v;
            return this;
        }

        public Builder maxOperationsPerformed(int v) {
            maxOperationsPerformed = v;
            return this;
        }

        public Builder transferSyntaxes(List<TransferSyntax> v) {
            transferSyntaxes = v;
            return this;
        }

        public Builder maxCollectedMatches(int v) {
            maxCollectedMatches = v;
            return this;
        }

        public Builder eventLoopThreads(int v) {
            eventLoopThreads = v;
            return this;
        }

        public Builder maxAssociations(int v) {
            maxAssociations = v;
            return this;
        }

        public Builder acceptBacklog(int v) {
            acceptBacklog = v;
            return this;
        }

        public Builder writeBufferHighWaterMark(int v) {
            writeBufferHighWaterMark = v;
            return this;
        }

        public Builder poolMaxAssociationsPerPeer(int v) {
            poolMaxAssociationsPerPeer = v;
            return this;
        }

        public Builder poolMaxWaitersPerPeer(int v) {
            poolMaxWaitersPerPeer = v;
            return this;
        }

        public Builder poolAcquireTimeout(Duration v) {
            poolAcquireTimeout = v;
            return this;
        }

        public Builder poolIdleTimeout(Duration v) {
            poolIdleTimeout = v;
            return this;
        }

        public DicomSettings build() {
            return new DicomSettings(
                    maxPduLengthReceive,
                    maxPduLengthSend,
                    maxAssociatePduLength,
                    maxMessageSize,
                    connectTimeout,
                    associateTimeout,
                    artimTimeout,
                    pduReadTimeout,
                    releaseTimeout,
                    acceptorIdleTimeout,
                    operationTimeout,
                    responseTimeout,
                    cancelTimeout,
                    maxOperationsInvoked,
                    maxOperationsPerformed,
                    transferSyntaxes,
                    maxCollectedMatches,
                    eventLoopThreads,
                    maxAssociations,
                    acceptBacklog,
                    writeBufferHighWaterMark,
                    poolMaxAssociationsPerPeer,
                    poolMaxWaitersPerPeer,
                    poolAcquireTimeout,
                    poolIdleTimeout);
        }
    }
}
