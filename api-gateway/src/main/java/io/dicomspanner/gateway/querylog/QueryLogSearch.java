package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * What to look for in the query log; every criterion is optional and they combine with AND. Sent as a POST body,
 * not in the URL, because a PatientID does not belong in URLs that proxies and browsers keep.
 *
 * @param patientId a real PatientID: tokenized the way the query log stores it, then matched exactly
 */
public record QueryLogSearch(
        @Schema(description = "A real PatientID; matched through its token, never stored or logged") @Size(max = 64)
        String patientId,

        Long configId,

        @Schema(allowableValues = {"qido", "dimse"}) @OneOf(EntryPoint.class)
        String entryPoint,

        @Schema(allowableValues = {"completed", "partial", "failed"}) @OneOf(QueryLogStatus.class)
        String status,

        @Schema(description = "Queries that started at or after this instant")
        Instant from,

        @Schema(description = "Queries that started before this instant")
        Instant to) {

    @Override
    public String toString() {
        return "QueryLogSearch[patientId=" + (patientId == null ? "" : "***") + ", configId=" + configId
                + ", entryPoint=" + entryPoint + ", status=" + status + ", from=" + from + ", to=" + to + "]";
    }
}
