package io.dicomspanner.gateway.apikey;

import java.util.Set;
import org.springframework.stereotype.Component;

/** The one place that says what each path needs: nothing, any valid key, or a key with a scope. */
@Component
public class AccessPolicy {

    /** What a request needs to be let through. */
    public enum Required {
        NOTHING,
        ANY_KEY,
        QUERY_SCOPE,
        ADMIN_SCOPE
    }

    /**
     * Probes, and the Prometheus scrape: like the coordinator's and workers' it needs no key, since a scraper should not
     * hold an admin key; it carries no PHI (request metrics are tagged by URI template, never by the query string).
     */
    private static final Set<String> PROBES =
            Set.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus");

    private final boolean apiDocsPublic;

    public AccessPolicy(ApiKeyProperties properties) {
        this.apiDocsPublic = properties.apiDocsPublic();
    }

    public Required requiredFor(String path) {
        if (PROBES.contains(path)) {
            return Required.NOTHING;
        }
        if (path.startsWith("/v3/api-docs") || path.startsWith("/swagger-ui")) {
            return apiDocsPublic ? Required.NOTHING : Required.ANY_KEY;
        }
        if (path.startsWith("/api/v1/spanner/") || path.startsWith("/dicomweb/")) {
            return Required.QUERY_SCOPE;
        }
        // Everything else, unknown paths included: an unauthenticated client learns nothing about what exists.
        return Required.ADMIN_SCOPE;
    }
}
