package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.gateway.audit.AccessAuditFilter;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads the query log; a search by PatientID goes through the PatientID's token, as the log stores it. */
@Service
public class QueryLogService {

    private static final Logger log = LoggerFactory.getLogger(QueryLogService.class);

    private final QueryLogRepository rows;
    private final PhiTokenizer phiTokenizer;

    public QueryLogService(QueryLogRepository rows, PhiTokenizer phiTokenizer) {
        this.rows = rows;
        this.phiTokenizer = phiTokenizer;
    }

    @Transactional(readOnly = true)
    public Page<QueryLogRecord> search(QueryLogSearch search, Pageable unsorted) {
        if (search.from() != null && search.to() != null && !search.from().isBefore(search.to())) {
            throw new InvalidRequestException("to", "must be after from");
        }
        String patientIdToken = search.patientId() == null ? null : phiTokenizer.patientId(search.patientId());
        Map<String, Object> criteria = new LinkedHashMap<>();
        criteria.put("patient_id", patientIdToken);
        criteria.put("config_id", search.configId());
        criteria.put("entry_point", search.entryPoint());
        criteria.put("status", search.status());
        criteria.put("from", search.from() == null ? null : search.from().toString());
        criteria.put("to", search.to() == null ? null : search.to().toString());
        criteria.values().removeIf(java.util.Objects::isNull);
        AccessAuditFilter.describe(Map.of("criteria", criteria));
        log.info(
                "Query log search: PatientID token {}, config {}, entry point {}, status {}, from {} to {}",
                patientIdToken,
                search.configId(),
                search.entryPoint(),
                search.status(),
                search.from(),
                search.to());
        return rows.search(
                        patientIdToken,
                        search.configId(),
                        search.entryPoint(),
                        search.status(),
                        search.from(),
                        search.to(),
                        unsorted)
                .map(QueryLogRow::toRecord);
    }

    /** The queries that one API key asked, newest first (a page of them). */
    @Transactional(readOnly = true)
    public Page<QueryLogRecord> askedBy(long apiKeyId, Pageable unsorted) {
        return rows.findByCallerApiKeyIdOrderByStartedAtDescIdAsc(apiKeyId, unsorted)
                .map(QueryLogRow::toRecord);
    }

    @Transactional(readOnly = true)
    public QueryLogRecord get(UUID id) {
        AccessAuditFilter.describe(Map.of("query_id", id.toString()));
        return rows.findById(id)
                .map(QueryLogRow::toRecord)
                .orElseThrow(() -> new NotFoundException("query log entry", id));
    }
}
