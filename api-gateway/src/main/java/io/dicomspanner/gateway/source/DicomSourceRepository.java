package io.dicomspanner.gateway.source;

import org.springframework.data.jpa.repository.JpaRepository;

public interface DicomSourceRepository extends JpaRepository<DicomSource, Long> {

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, long id);
}
