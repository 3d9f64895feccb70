package io.dicomspanner.simulator.net;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationFilter;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import java.net.SocketAddress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One simulated PACS's concurrent associations, as a PACS with a licence limit counts them: an association counts from
 * its accepted A-ASSOCIATE-RQ until it ends (the SCU's A-RELEASE-RQ answered, an A-ABORT, or the connection closed,
 * whichever comes first; after A-RELEASE-RP only the SCU's closing of the connection remains); a request that would make more than {@code limit}
 * concurrent ones is rejected (A-ASSOCIATE-RJ transient, service-provider (presentation), local-limit-exceeded). It
 * keeps the most it ever held at once and how many it rejected, for tests that prove a fleet of SCUs stays within the
 * limit.
 *
 * <p>It is the server's {@link AssociationFilter}, which runs last before the accept, and its association listener,
 * which the server calls for every accepted association before the A-ASSOCIATE-AC goes out; both run on event loops.
 */
public final class AssociationCount implements AssociationFilter, Consumer<Association> {

    /** What was counted so far. */
    public record Stats(int current, int maxConcurrent, long rejected) {}

    private final int limit;
    private final Consumer<Stats> onPeakOrReject;
    /** Accepted associations not yet seen ended; pruned when counting. */
    private final Set<Association> open = new HashSet<>();
    /** Passed the check, not yet handed to {@link #accept}: the server does that right after, on the same thread. */
    private int accepting;

    private int maxConcurrent;
    private long rejected;

    /** @param onPeakOrReject told (outside the lock) each time the maximum rises or a request is rejected */
    public AssociationCount(int limit, Consumer<Stats> onPeakOrReject) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.onPeakOrReject = onPeakOrReject;
    }

    public int limit() {
        return limit;
    }

    public synchronized Stats stats() {
        return new Stats(current(), maxConcurrent, rejected);
    }

    private int current() {
        open.removeIf(a -> !a.isEstablished());
        return open.size() + accepting;
    }

    @Override
    public Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress) {
        Stats changed = null;
        Optional<AAssociateRj> answer;
        synchronized (this) {
            int current = current();
            if (current >= limit) {
                rejected++;
                changed = stats();
                answer = Optional.of(AAssociateRj.localLimitExceeded());
            } else {
                accepting++;
                if (current + 1 > maxConcurrent) {
                    maxConcurrent = current + 1;
                    changed = stats();
                }
                answer = Optional.empty();
            }
        }
        if (changed != null) {
            onPeakOrReject.accept(changed);
        }
        return answer;
    }

    /** An accepted association: it counts until it is no longer established, or its connection is closed. */
    @Override
    public void accept(Association association) {
        synchronized (this) {
            accepting--;
            open.add(association);
        }
        association.closeFuture().whenComplete((x, e) -> {
            synchronized (this) {
                open.remove(association);
            }
        });
    }
}
