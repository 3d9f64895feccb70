package io.dicomspanner.gateway.config;

import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface SpannerConfigRepository extends JpaRepository<SpannerConfig, Long> {

    /** The config, locked until the transaction ends, so concurrent edits take turns and each gets a version. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select c from SpannerConfig c where c.id = :id")
    Optional<SpannerConfig> findForUpdate(@Param("id") long id);

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, long id);

    boolean existsByScpAeTitle(String scpAeTitle);

    boolean existsByScpAeTitleAndIdNot(String scpAeTitle, long id);

    /** A new version for every config that maps the source: what they answer may change with it. */
    @Modifying(flushAutomatically = true)
    @Query("update SpannerConfig c set c.version = c.version + 1, c.updatedAt = :now where c.id in ("
            + "select m.configId from SourceMapping m where m.sourceType = :sourceType and m.sourceId = :sourceId)")
    int markEditedForSource(
            @Param("sourceType") SourceType sourceType, @Param("sourceId") long sourceId, @Param("now") Instant now);

    /**
     * A new version for every config that selects sources of one of these locations or with one of these tags: a
     * source in such a location or with such a tag was added, changed or removed, so what they ask may change with it.
     */
    @Modifying(flushAutomatically = true)
    @Query(
            value = "update spanner_config set version = version + 1, updated_at = :now"
                    + " where include_locations && cast(:locations as text[]) or include_tags && cast(:tags as text[])",
            nativeQuery = true)
    int markEditedForSelection(
            @Param("locations") String[] locations, @Param("tags") String[] tags, @Param("now") Instant now);
}
