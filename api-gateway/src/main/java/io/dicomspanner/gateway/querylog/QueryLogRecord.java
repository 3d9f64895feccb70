package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.validation.WireEnumSerializer;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.annotation.JsonSerialize;

/**
 * One logged spanning query as the query-log API shows it (read from a {@link QueryLogRow}).
 *
 * @param id the query id
 * @param startedAt when the query came in; decides its month partition
 * @param configId the spanner config it ran on
 * @param configVersion that config's version at the time
 * @param queryLevel its Query/Retrieve level
 * @param entryPoint QIDO-RS or DIMSE C-FIND
 * @param tokenizedFilters its matching keys, keyword to value, PHI values as tokens
 * @param callerApiKeyId the API key of a QIDO caller
 * @param callerAeTitle the calling AE title of a C-FIND caller
 * @param callerAddress the caller's IP address
 * @param sourcesAsked how many sources the query was sent to
 * @param sourcesAnswered how many answered in time
 * @param sourcesFailed how many failed or timed out
 * @param matchesBeforeDedup matches of all sources together
 * @param matchesAfterDedup matches after de-duplication
 * @param durationMs from arrival to the last response
 * @param status how it ended
 * @param error why it failed, if it did (never PHI)
 */
public record QueryLogRecord(
        UUID id,
        Instant startedAt,
        Long configId,
        Long configVersion,

        @JsonSerialize(using = WireEnumSerializer.class)
        @Schema(
                type = "string",
                allowableValues = {"patient", "study", "series", "image"})
        QueryLevel queryLevel,

        @JsonSerialize(using = WireEnumSerializer.class)
        @Schema(
                type = "string",
                allowableValues = {"qido", "dimse"})
        EntryPoint entryPoint,

        Map<String, String> tokenizedFilters,
        Long callerApiKeyId,
        String callerAeTitle,
        String callerAddress,
        int sourcesAsked,
        int sourcesAnswered,
        int sourcesFailed,
        int matchesBeforeDedup,
        int matchesAfterDedup,
        long durationMs,
        QueryLogStatus status,
        String error) {}
