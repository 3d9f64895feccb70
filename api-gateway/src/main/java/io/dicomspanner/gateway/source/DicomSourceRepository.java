package io.dicomspanner.gateway.source;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

public interface DicomSourceRepository extends JpaRepository<DicomSource, Long> {

    boolean existsByNameIgnoreCase(String name);

    boolean existsByNameIgnoreCaseAndIdNot(String name, long id);

    /** The sources of the location (null: any) that carry the tag (null: any). */
    @Query(
            value = "select * from dicom_source where (cast(:location as text) is null or location = :location)"
                    + " and (cast(:tag as text) is null or cast(:tag as text) = any(tags))",
            countQuery =
                    "select count(*) from dicom_source where (cast(:location as text) is null or location = :location)"
                            + " and (cast(:tag as text) is null or cast(:tag as text) = any(tags))",
            nativeQuery = true)
    Page<DicomSource> findByLocationAndTag(
            @Param("location") String location, @Param("tag") String tag, Pageable pageable);
}
