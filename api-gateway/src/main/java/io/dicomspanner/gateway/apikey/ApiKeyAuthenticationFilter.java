package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.atna.GatewayAudit;
import io.dicomspanner.gateway.error.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.TransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request through only with {@code Authorization: Api-Key <key>} naming an active key that has the scope the
 * path needs: 401 with {@code WWW-Authenticate: Api-Key} without a valid key, 403 without the scope.
 */
public class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    /** The request attribute holding the {@link AuthenticatedKey} of an authenticated request. */
    public static final String AUTHENTICATED_KEY = ApiKeyAuthenticationFilter.class.getName() + ".key";

    /** The request attribute holding the {@link AuthenticatedKey} of a request refused for lack of scope. */
    public static final String REFUSED_KEY = ApiKeyAuthenticationFilter.class.getName() + ".refused-key";

    static final String SCHEME = "Api-Key";
    static final String CHALLENGE = SCHEME + " realm=\"dicom-query-spanner\"";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticationFilter.class);
    /** How long a client whose key could not be verified (the database is away) is asked to wait. */
    static final long KEY_DATABASE_RETRY_AFTER_SECONDS = 30;

    private final ApiKeyService keys;
    private final AccessPolicy policy;
    private final ProblemResponses problems;
    private final GatewayAudit audit;

    public ApiKeyAuthenticationFilter(
            ApiKeyService keys, AccessPolicy policy, ProblemResponses problems, GatewayAudit audit) {
        this.keys = keys;
        this.policy = policy;
        this.problems = problems;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (!isNormalForm(path)) {
            // The access policy judges paths by their text; "/v3/api-docs/../api/..." must not borrow the docs' rule.
            problems.write(
                    response,
                    problems.problem(
                            HttpStatus.BAD_REQUEST,
                            "The path is not in normal form (dot segments, empty segments, ';' or encoded '.', '/', '\\')",
                            path));
            return;
        }
        if (path.equals("/ui") || path.startsWith("/ui/")) {
            // the web console signs its users in with a key once and keeps a session (gateway.console)
            chain.doFilter(request, response);
            return;
        }
        AccessPolicy.Required required = policy.requiredFor(path);
        if (required == AccessPolicy.Required.NOTHING) {
            chain.doFilter(request, response);
            return;
        }
        Optional<String> presented = presentedKey(request);
        if (presented.isEmpty()) {
            audit.apiKeyRefused(request.getRemoteAddr(), request.getMethod(), path, "no API key");
            unauthorized(request, response, "Send an API key: 'Authorization: Api-Key <key>'");
            return;
        }
        Optional<AuthenticatedKey> key;
        try {
            key = keys.authenticate(presented.get());
        } catch (DataAccessException | TransactionException e) {
            log.warn(
                    "API key not verified for {} {}: database unavailable ({})",
                    request.getMethod(),
                    path,
                    e.getClass().getSimpleName());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(KEY_DATABASE_RETRY_AFTER_SECONDS));
            problems.write(
                    response,
                    problems.problem(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The API key database is unavailable and this key was not verified here recently enough;"
                                    + " try again later",
                            path));
            return;
        }
        if (key.isEmpty()) {
            log.warn(
                    "Unknown or revoked API key from {} for {} {}", request.getRemoteAddr(), request.getMethod(), path);
            audit.apiKeyRefused(request.getRemoteAddr(), request.getMethod(), path, "unknown or revoked API key");
            unauthorized(request, response, "The API key is unknown or revoked");
            return;
        }
        ApiKeyScope scope = switch (required) {
            case QUERY_SCOPE -> ApiKeyScope.QUERY;
            case ADMIN_SCOPE -> ApiKeyScope.ADMIN;
            default -> null;
        };
        if (scope != null && !key.get().grants(scope)) {
            log.info("API key {} lacks scope {} for {} {}", key.get().id(), scope.wire(), request.getMethod(), path);
            audit.scopeRefused(key.get().name(), request.getRemoteAddr(), request.getMethod(), path, scope.wire());
            request.setAttribute(REFUSED_KEY, key.get());
            problems.write(
                    response,
                    problems.problem(
                            HttpStatus.FORBIDDEN,
                            "API key " + key.get().id() + " does not have the '" + scope.wire() + "' scope",
                            path));
            return;
        }
        request.setAttribute(AUTHENTICATED_KEY, key.get());
        chain.doFilter(request, response);
    }

    /**
     * The key a request was authenticated with.
     *
     * @throws IllegalStateException when there is none: the access policy let the path through without a key
     */
    public static AuthenticatedKey keyOf(HttpServletRequest request) {
        if (request.getAttribute(AUTHENTICATED_KEY) instanceof AuthenticatedKey key) {
            return key;
        }
        throw new IllegalStateException(
                "No API key on a request to " + request.getRequestURI() + "; the access policy must demand one for it");
    }

    static boolean isNormalForm(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        return !(lower.contains("/./")
                || lower.contains("/../")
                || lower.endsWith("/.")
                || lower.endsWith("/..")
                || lower.contains("//")
                || lower.contains(";")
                || lower.contains("\\")
                || lower.contains("%2e")
                || lower.contains("%2f")
                || lower.contains("%5c"));
    }

    private static Optional<String> presentedKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.length() <= SCHEME.length()
                || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || !Character.isWhitespace(value.charAt(SCHEME.length()))) {
            return Optional.empty();
        }
        String key = value.substring(SCHEME.length()).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail)
            throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
        problems.write(response, problems.problem(HttpStatus.UNAUTHORIZED, detail, request.getRequestURI()));
    }
}
