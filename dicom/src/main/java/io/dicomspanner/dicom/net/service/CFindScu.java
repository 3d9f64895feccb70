package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Association;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** C-FIND as SCU: streaming ({@link #find}) or collecting ({@link #findAll}). */
public final class CFindScu {
    private CFindScu() {}

    /**
     * Sends the C-FIND; each match goes to {@code listener} as it arrives. The association must have a presentation
     * context for the query's SOP class and room in its operations window, otherwise the operation fails at once.
     */
    public static FindOperation find(Association association, FindQuery query, FindResponseListener listener) {
        FindOperation op = new FindOperation(association, query, listener);
        op.start();
        return op;
    }

    /**
     * Sends the C-FIND and collects the matches. At most the query's maximum number of matches (or, if it has none,
     * {@link io.dicomspanner.dicom.net.DicomSettings#maxCollectedMatches()}) are kept: reaching it sends C-CANCEL,
     * so memory stays bounded whatever the peer sends.
     */
    public static CompletableFuture<FindResult> findAll(Association association, FindQuery query) {
        int limit = query.maxMatches() > 0
                ? query.maxMatches()
                : association.settings().maxCollectedMatches();
        List<Attributes> matches = new ArrayList<>();
        FindOperation op = find(association, query.withMaxMatches(limit), (o, identifier) -> matches.add(identifier));
        return op.completion().thenApply(outcome -> new FindResult(outcome, matches));
    }
}
