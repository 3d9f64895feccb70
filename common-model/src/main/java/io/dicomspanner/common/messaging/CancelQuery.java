package io.dicomspanner.common.messaging;

/** Broadcast on {@link Topology#CANCEL_EXCHANGE}: stop every task of this query (C-CANCEL or the query ended). */
public record CancelQuery(String queryId) {}
