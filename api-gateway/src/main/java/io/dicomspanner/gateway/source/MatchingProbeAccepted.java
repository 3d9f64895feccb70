package io.dicomspanner.gateway.source;

/** The answer to a capability probe request: where its findings will show. */
public record MatchingProbeAccepted(String requestId, long sourceId, String matchingUrl) {}
