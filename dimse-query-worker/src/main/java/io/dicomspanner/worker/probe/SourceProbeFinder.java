package io.dicomspanner.worker.probe;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.probe.MatchingProbe;
import io.dicomspanner.worker.adapt.QueryAdapter;
import io.dicomspanner.worker.find.CFindFailedException;
import io.dicomspanner.worker.find.SourceFinder;
import io.dicomspanner.worker.find.SourceFinder.FindContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe's C-FINDs, sent as a task's are ({@link SourceFinder}): within the source's fleet-wide association
 * limit, each within the source's query timeout, a connection failure retried once, and
 * cancellable under the probe's own query id. Study Root; every match collected in order.
 */
final class SourceProbeFinder implements MatchingProbe.Finder {
    private static final int RETRIES = 1;

    private final SourceFinder finder;
    private final SourceEndpoint source;
    private final String queryId;
    private final Clock clock;
    private final AtomicInteger sent = new AtomicInteger();

    /** @param queryId under which the C-FINDs run (a cancel of it stops them) */
    SourceProbeFinder(SourceFinder finder, SourceEndpoint source, String queryId, Clock clock) {
        this.finder = finder;
        this.source = source;
        this.queryId = queryId;
        this.clock = clock;
    }

    /** Fails with a {@link CFindFailedException} when the C-FIND does not end in success. */
    @Override
    public CompletableFuture<List<Attributes>> find(Attributes identifier) {
        sent.incrementAndGet();
        List<Attributes> matches = Collections.synchronizedList(new ArrayList<>());
        FindContext ctx = new FindContext(
                queryId, source, clock.millis() + source.queryTimeoutSeconds() * 1000L, RETRIES, operation -> {});
        Attributes keys = QueryAdapter.inUtf8IfNeeded(Attributes.copyOf(identifier));
        return finder.find(ctx, SopClasses.STUDY_ROOT_QUERY_FIND, negotiated -> keys, matches::add)
                .thenApply(outcome -> {
                    if (!outcome.isSuccess()) {
                        // the error comment stays out: a PACS may echo query values in it
                        throw new CompletionException(new CFindFailedException(
                                SourceOutcome.FAILED_STATUS,
                                "the source answered " + Status.toString(outcome.status()),
                                false,
                                null));
                    }
                    return List.copyOf(matches);
                });
    }

    /** C-FINDs sent so far. */
    int sent() {
        return sent.get();
    }
}
