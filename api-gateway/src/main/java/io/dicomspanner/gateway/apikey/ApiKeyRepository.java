package io.dicomspanner.gateway.apikey;

import java.time.Instant;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface ApiKeyRepository extends JpaRepository<ApiKey, Long> {

    List<ApiKey> findByLookupId(String lookupId);

    boolean existsByNameIgnoreCaseAndRevokedAtIsNull(String name);

    @Query(
            value = "select count(*) from api_key where revoked_at is null and 'admin' = any(scopes) and id <> :id",
            nativeQuery = true)
    long countActiveAdminKeysOtherThan(@Param("id") long id);

    @Query(
            value = "select count(*) from api_key where revoked_at is null and 'admin' = any(scopes)",
            nativeQuery = true)
    long countActiveAdminKeys();

    /** Records a use, unless one after {@code staleBefore} is recorded already (by this or another gateway). */
    @Transactional
    @Modifying
    @Query("update ApiKey k set k.lastUsedAt = :now where k.id = :id"
            + " and (k.lastUsedAt is null or k.lastUsedAt <= :staleBefore)")
    int recordUse(@Param("id") long id, @Param("now") Instant now, @Param("staleBefore") Instant staleBefore);
}
