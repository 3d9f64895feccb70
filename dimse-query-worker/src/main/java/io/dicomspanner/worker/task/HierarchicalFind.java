package io.dicomspanner.worker.task;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.adapt.QueryAdapter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The C-FINDs that answer one identifier at one level of a source, in the information model chosen for it. A source
 * with relational queries is asked once. One without knows only the hierarchical search (PS3.4 C.4.1.2.2): each request
 * must carry the unique keys of every level above its own, so the topmost level whose unique key the identifier does
 * not give as a single value is asked first, then the level below once per match found there ({@link FindFanOut}),
 * down to the level asked for. Each match is completed with the attributes of the upper-level matches it was found
 * under; an upper level that does not end in success ends the search with its outcome.
 */
final class HierarchicalFind {

    /** One C-FIND at the source, its keys built once the association tells what the source negotiated. */
    @FunctionalInterface
    interface CFind {
        CompletableFuture<FindOutcome> find(
                String sopClassUid, Function<QueryOptions, Attributes> keysFor, Consumer<Attributes> onMatch);
    }

    private final InformationModel model;
    private final boolean relational;
    private final FindFanOut fanOut;
    private final CFind cfind;

    HierarchicalFind(InformationModel model, boolean relational, FindFanOut fanOut, CFind cfind) {
        this.model = model;
        this.relational = relational;
        this.fanOut = fanOut;
        this.cfind = cfind;
    }

    /** The matches of {@code identifier} at {@code level}, to {@code sink}; the outcome counts them. */
    CompletableFuture<FindOutcome> run(QueryLevel level, Attributes identifier, Consumer<Attributes> sink) {
        return runLevel(level, identifier, new Attributes(), sink);
    }

    /** The matches at {@code level} under the upper-level attributes {@code resolved} (empty at the top). */
    private CompletableFuture<FindOutcome> runLevel(
            QueryLevel level, Attributes identifier, Attributes resolved, Consumer<Attributes> sink) {
        Optional<QueryLevel> upper =
                relational ? Optional.empty() : QueryAdapter.unresolvedUpperLevel(identifier, resolved, model, level);
        if (upper.isPresent()) {
            List<Attributes> found = Collections.synchronizedList(new ArrayList<>());
            return runLevel(upper.get(), identifier, resolved, found::add).thenCompose(outcome -> {
                if (!outcome.isSuccess()) {
                    return CompletableFuture.completedFuture(outcome);
                }
                return fanOut.run(List.copyOf(found), sink, (parent, parentSink) -> {
                    Attributes below = QueryAdapter.withUpperLevels(Attributes.copyOf(resolved), parent);
                    return runLevel(level, identifier, below, parentSink);
                });
            });
        }
        return cfind.find(
                model.findSopClassUid(),
                negotiated -> QueryAdapter.keysFor(identifier, resolved, model, level, relational, negotiated),
                match -> sink.accept(QueryAdapter.withUpperLevels(match, resolved)));
    }
}
