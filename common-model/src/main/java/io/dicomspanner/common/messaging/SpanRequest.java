package io.dicomspanner.common.messaging;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.SpanQuery;

/**
 * An entry point's request to span one query (on {@link Topology#REQUESTS_QUEUE}).
 *
 * @param queryId unique id (UUID text) chosen by the entry point; the status and results are found under it
 * @param caller who asked, never PHI: {@code "api-key:<id>@<client ip>"} or {@code "ae:<calling AE>@<ip>"}
 * @param replyTo the entry instance's answer queue, or {@code null} for an async query (results go to Redis only)
 * @param streamMatches send matches as soon as they are final (DIMSE pending responses) rather than once at the end
 * @param deadlineEpochMillis when the entry stops waiting; the coordinator answers before it with what it has
 * @param retrieveBaseUrl where the entry's clients reach this config's DICOMweb service (e.g. {@code
 *     https://spanner.example.org/dicomweb/1}): QIDO-RS results carry Retrieve URLs (0008,1190) under it, pointing at
 *     the spanner, never at a PACS. {@code null}: the coordinator's own {@code dicomweb-base-url}, if any
 */
public record SpanRequest(
        String queryId,
        SpanQuery query,
        EntryPoint entryPoint,
        String caller,
        String replyTo,
        boolean streamMatches,
        long deadlineEpochMillis,
        String retrieveBaseUrl) {}
