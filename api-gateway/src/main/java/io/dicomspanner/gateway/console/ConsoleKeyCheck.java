package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.apikey.ApiKeyProperties;
import io.dicomspanner.gateway.apikey.ApiKeyService;
import io.dicomspanner.gateway.error.NotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * Ends console sessions whose API key has been revoked: a session's key is looked up again when it was last found
 * active longer than {@code spanner.api-keys.verification-cache-ttl} ago, the time a gateway trusts a verified key
 * without asking the database, or at once when a key was revoked or limited through this gateway since (a revocation
 * in the console or the admin API ends the session at its very next request). While the database cannot be reached
 * the session goes on (as a verified key does).
 */
@Component
class ConsoleKeyCheck {

    private static final Logger log = LoggerFactory.getLogger(ConsoleKeyCheck.class);
    private static final String CHECKED_AT = ConsoleKeyCheck.class.getName() + ".checked-at";
    private static final String CHECKED_AFTER = ConsoleKeyCheck.class.getName() + ".checked-after-key-changes";

    private final ApiKeyService keys;
    private final long intervalNanos;

    ConsoleKeyCheck(ApiKeyService keys, ApiKeyProperties properties) {
        this.keys = keys;
        this.intervalNanos = properties.verificationCacheTtl().toNanos();
    }

    /** Whether the key of the signed-in {@code user} is still active, as far as is known. */
    boolean stillActive(HttpServletRequest request, ConsoleUser user) {
        HttpSession session = request.getSession(false);
        long now = System.nanoTime();
        long changes = keys.keyChanges();
        if (session == null) {
            return false;
        }
        if (session.getAttribute(CHECKED_AT) instanceof Long checkedAt
                && now - checkedAt < intervalNanos
                && session.getAttribute(CHECKED_AFTER) instanceof Long checkedAfter
                && checkedAfter == changes) {
            return true;
        }
        try {
            if (keys.get(user.keyId()).revokedAt() != null) {
                log.info("Console session of API key {} ended: the key is revoked", user.keyId());
                return false;
            }
        } catch (NotFoundException e) {
            log.info("Console session of API key {} ended: the key no longer exists", user.keyId());
            return false;
        } catch (DataAccessException | TransactionException e) {
            log.warn(
                    "API key {} of a console session not checked: database unavailable ({})",
                    user.keyId(),
                    e.getClass().getSimpleName());
            return true;
        }
        session.setAttribute(CHECKED_AT, now);
        session.setAttribute(CHECKED_AFTER, changes);
        return true;
    }
}
