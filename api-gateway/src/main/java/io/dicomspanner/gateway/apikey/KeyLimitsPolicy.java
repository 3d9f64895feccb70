package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.ratelimit.RequestLimiter;
import io.dicomspanner.gateway.error.ServiceProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Applies a key's scope and rate limits to a search, before anything of it is published: 403 for a spanning config
 * the key may not search, 429 with {@code Retry-After} beyond its rate. Limits are counted per gateway instance by the
 * shared {@link RequestLimiter} (the listener limits calling AE titles with the same one); refusals are counted in
 * {@code spanner_gateway_searches_refused_total{reason}}.
 */
@Component
public class KeyLimitsPolicy {

    /** The largest per-second limit a key or the default may have. */
    public static final int MAX_QUERIES_PER_SECOND = 10_000;

    public static final int MAX_QUERIES_IN_FLIGHT = 10_000;

    private static final Logger log = LoggerFactory.getLogger(KeyLimitsPolicy.class);

    private final RequestLimiter limiter;
    private final int defaultPerSecond;
    private final int defaultInFlight;
    private final Counter configRefusals;
    private final Counter rateRefusals;

    KeyLimitsPolicy(ApiKeyProperties properties, Clock clock, MeterRegistry registry) {
        this.limiter = new RequestLimiter(clock);
        this.defaultPerSecond = properties.defaultQueriesPerSecond();
        this.defaultInFlight = properties.defaultQueriesInFlight();
        this.configRefusals = refusals(registry, "config");
        this.rateRefusals = refusals(registry, "rate");
    }

    private static Counter refusals(MeterRegistry registry, String reason) {
        return Counter.builder("spanner.gateway.searches.refused")
                .description("Searches refused before publishing: config outside the key's scope, or beyond its rate")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * Refuses a search on a config the key may not search.
     *
     * @throws ServiceProblemException 403
     */
    public void checkConfig(AuthenticatedKey key, long configId) {
        if (!key.access().allows(configId)) {
            configRefusals.increment();
            log.info("API key {} refused a search on spanner config {}: not among its configs", key.id(), configId);
            throw new ServiceProblemException(
                    HttpStatus.FORBIDDEN, "API key " + key.id() + " may not search spanner config " + configId);
        }
    }

    /**
     * Admits one more search of the key within its limits.
     *
     * @param holdsSlot whether the search counts as in flight until the returned permit is closed (synchronous ones);
     *     one that does not counts against the rate only, its permit already closed
     * @throws ServiceProblemException 429 with Retry-After
     */
    public RequestLimiter.Permit admit(AuthenticatedKey key, boolean holdsSlot) {
        RequestLimiter.Limits limits = limitsOf(key);
        RequestLimiter.Admission admission = limiter.tryAcquire(
                "api-key:" + key.id(), holdsSlot ? limits : new RequestLimiter.Limits(limits.perSecond(), 0));
        if (admission instanceof RequestLimiter.Refused refused) {
            rateRefusals.increment();
            String detail = detail(key.id(), refused);
            log.info("API key {} refused a search: {}", key.id(), detail);
            throw new ServiceProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, refused.retryAfter());
        }
        RequestLimiter.Permit permit = (RequestLimiter.Permit) admission;
        if (!holdsSlot) {
            permit.close();
        }
        return permit;
    }

    private static String detail(long keyId, RequestLimiter.Refused refused) {
        return switch (refused.limit()) {
            case IN_FLIGHT -> {
                int inFlight = refused.limits().inFlight();
                yield "API key " + keyId + " has " + inFlight + " " + (inFlight == 1 ? "search" : "searches")
                        + " in flight, its limit; send the next when one is answered";
            }
            case RATE -> {
                long perSecond = (long) refused.limits().perSecond();
                yield "API key " + keyId + " may start " + perSecond + " " + (perSecond == 1 ? "search" : "searches")
                        + " per second";
            }
        };
    }

    /** The key's own limits where it has them, the gateway's defaults where not. */
    public RequestLimiter.Limits limitsOf(AuthenticatedKey key) {
        KeyAccess access = key.access();
        return new RequestLimiter.Limits(
                access.queriesPerSecond() != null ? access.queriesPerSecond() : defaultPerSecond,
                access.queriesInFlight() != null ? access.queriesInFlight() : defaultInFlight);
    }
}
