package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe's C-FINDs over a {@link DicomClient}: one association per C-FIND, proposing Study Root FIND only and no
 * extended negotiation (so the source answers as it answers a plain SCU), released before the matches are handed on,
 * so the next C-FIND never overlaps it. A C-FIND that ends in a failure or cancel status completes exceptionally;
 * warnings count as success.
 */
public final class PeerFinder implements MatchingProbe.Finder {

    private static final Logger LOG = LoggerFactory.getLogger(PeerFinder.class);

    private final DicomClient client;
    private final DicomPeer peer;

    public PeerFinder(DicomClient client, DicomPeer peer) {
        this.client = Objects.requireNonNull(client, "client");
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public CompletableFuture<List<Attributes>> find(Attributes identifier) {
        AssociationRequest request = new AssociationRequest(
                peer.calledAeTitle(),
                peer.callingAeTitle(),
                List.of(SopClasses.STUDY_ROOT_QUERY_FIND),
                List.of(),
                List.of(),
                null);
        return client.connect(peer, request).thenCompose(as -> {
            CompletableFuture<List<Attributes>> matches = CFindScu.findAll(as, FindQuery.studyRoot(identifier))
                    .thenApply(result -> {
                        FindOutcome outcome = result.outcome();
                        if (outcome.isFailure() || outcome.isCancelled()) {
                            throw new CompletionException(new DicomNetworkException(peer + " ended the " + outcome));
                        }
                        return result.matches();
                    });
            return matches.handle((m, failure) -> null)
                    .thenCompose(v -> release(as))
                    .thenCompose(v -> matches);
        });
    }

    /** Releases the association; a release that fails does not undo the answer already received, so it is logged. */
    private static CompletableFuture<Void> release(Association as) {
        if (!as.isEstablished()) {
            return CompletableFuture.completedFuture(null);
        }
        return as.release().handle((v, failure) -> {
            if (failure != null) {
                LOG.debug("{}: release failed: {}", as, ProbeRun.reason(failure));
            }
            return null;
        });
    }
}
