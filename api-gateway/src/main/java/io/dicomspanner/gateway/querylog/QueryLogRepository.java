package io.dicomspanner.gateway.querylog;

import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface QueryLogRepository extends JpaRepository<QueryLogRow, UUID> {

    /** Rows matching every given criterion (a null criterion matches all), newest first. */
    @Query(
            value = "select * from query_log where " + CRITERIA + " order by started_at desc, id",
            countQuery = "select count(*) from query_log where " + CRITERIA,
            nativeQuery = true)
    Page<QueryLogRow> search(
            @Param("patientIdToken") String patientIdToken,
            @Param("configId") Long configId,
            @Param("entryPoint") String entryPoint,
            @Param("status") String status,
            @Param("from") Instant from,
            @Param("to") Instant to,
            Pageable pageable);

    /** The queries one API key asked, newest first. */
    Page<QueryLogRow> findByCallerApiKeyIdOrderByStartedAtDescIdAsc(Long callerApiKeyId, Pageable pageable);

    String CRITERIA = "(cast(:patientIdToken as text) is null or tokenized_filters ->> 'PatientID' = :patientIdToken)"
            + " and (cast(:configId as bigint) is null or config_id = :configId)"
            + " and (cast(:entryPoint as text) is null or entry_point = :entryPoint)"
            + " and (cast(:status as text) is null or status = :status)"
            + " and (cast(:from as timestamptz) is null or started_at >= :from)"
            + " and (cast(:to as timestamptz) is null or started_at < :to)";
}
