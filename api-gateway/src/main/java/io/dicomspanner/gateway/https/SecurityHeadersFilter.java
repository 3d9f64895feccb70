package io.dicomspanner.gateway.https;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The security headers of every answer, set before the request is handled so that errors carry them too. Answers hold
 * API keys' results and PHI: no cache may keep them, no browser may sniff, frame or refer them. HSTS only on answers
 * that went out over HTTPS (the HTTPS port, or the edge proxy's HTTPS as a trusted proxy reports it): over plain HTTP
 * a browser ignores it, and it would promise an HTTPS port that plain-only deployments do not have.
 */
public class SecurityHeadersFilter extends OncePerRequestFilter {

    static final String STRICT_TRANSPORT_SECURITY = "Strict-Transport-Security";

    private final String hsts;

    public SecurityHeadersFilter(Duration hstsMaxAge) {
        this.hsts = "max-age=" + hstsMaxAge.toSeconds();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (request.isSecure()) {
            response.setHeader(STRICT_TRANSPORT_SECURITY, hsts);
        }
        chain.doFilter(request, response);
    }
}
