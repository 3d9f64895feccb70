package io.dicomspanner.gateway.config;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;

public interface SourceMappingRepository extends JpaRepository<SourceMapping, Long> {

    Page<SourceMapping> findByConfigId(long configId, Pageable pageable);

    List<SourceMapping> findByConfigIdOrderById(long configId);

    Optional<SourceMapping> findByIdAndConfigId(long id, long configId);

    List<SourceMapping> findBySourceTypeAndSourceIdOrderById(SourceType sourceType, long sourceId);

    boolean existsByConfigIdAndSourceTypeAndSourceId(long configId, SourceType sourceType, long sourceId);

    boolean existsByConfigIdAndSourceTypeAndSourceIdAndIdNot(
            long configId, SourceType sourceType, long sourceId, long id);
}
