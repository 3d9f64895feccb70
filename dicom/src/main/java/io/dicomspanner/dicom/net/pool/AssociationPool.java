package io.dicomspanner.dicom.net.pool;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * Associations to many peers, reused across operations, for the SCU side. Per peer ({@link DicomPeer}: host, port,
 * AE titles, TLS) at most {@code poolMaxAssociationsPerPeer} associations are open; further callers wait in a bounded
 * queue ({@code poolMaxWaitersPerPeer}) for at most {@code poolAcquireTimeout}. An association runs one operation at
 * a time, or as many as its negotiated asynchronous operations window allows. Associations idle for {@code
 * poolIdleTimeout} are released; aborted or closed ones are dropped and replaced on demand. Nothing blocks: every
 * wait is a {@link CompletableFuture}.
 */
public final class AssociationPool implements AutoCloseable {
    private final DicomClient client;
    private final Function<DicomPeer, AssociationRequest> requestFactory;
    private final ScheduledExecutorService timers;
    private final ConcurrentHashMap<DicomPeer, PeerPool> peers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** Proposes verification and the C-FIND models with relational queries ({@link AssociationRequest#forQuery}). */
    public AssociationPool(DicomClient client) {
        this(client, peer -> AssociationRequest.forQuery(peer.calledAeTitle(), peer.callingAeTitle()));
    }

    /** @param requestFactory what to propose to a peer; its AE titles must be the peer's */
    public AssociationPool(DicomClient client, Function<DicomPeer, AssociationRequest> requestFactory) {
        this.client = Objects.requireNonNull(client, "client");
        this.requestFactory = Objects.requireNonNull(requestFactory, "requestFactory");
        this.timers = client.eventLoopGroup().next();
    }

    /** A lease on an association to {@code peer}, for one operation. */
    public CompletableFuture<PooledAssociation> acquire(DicomPeer peer) {
        if (closed) {
            return CompletableFuture.failedFuture(new PoolExhaustedException("the association pool is closed"));
        }
        return peers.computeIfAbsent(peer, p -> new PeerPool(p, client, requestFactory.apply(p), timers))
                .acquire();
    }

    /**
     * Runs one operation on a pooled association and gives the association back when the operation's stage
     * completes, however it completes.
     */
    public <T> CompletableFuture<T> withAssociation(
            DicomPeer peer, Function<Association, ? extends CompletionStage<T>> operation) {
        return acquire(peer).thenCompose(lease -> {
            CompletionStage<T> stage;
            try {
                stage = operation.apply(lease.association());
            } catch (RuntimeException e) {
                lease.release();
                return CompletableFuture.failedFuture(e);
            }
            return stage.whenComplete((r, e) -> lease.release()).toCompletableFuture();
        });
    }

    /** The state of one peer's associations. */
    public PoolStats stats(DicomPeer peer) {
        PeerPool p = peers.get(peer);
        return p == null ? new PoolStats(0, 0, 0, 0, 0) : p.stats();
    }

    /**
     * Fails waiting callers, releases idle associations, and releases leased ones when they come back. Does not
     * close the client.
     */
    @Override
    public void close() {
        closed = true;
        for (PeerPool p : peers.values()) {
            p.close();
        }
    }
}
