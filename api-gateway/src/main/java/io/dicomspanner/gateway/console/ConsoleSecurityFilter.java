package io.dicomspanner.gateway.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.WebContext;
import org.thymeleaf.web.IWebExchange;
import org.thymeleaf.web.servlet.JakartaServletWebApplication;

/**
 * Guards every console path ({@code /ui/...}): a Content-Security-Policy that allows no inline script, a signed-in
 * session for everything but the sign-in page and the static files (else back to sign-in), and the session's CSRF
 * token on every POST (else 403). API keys are not accepted here; the API key filter lets {@code /ui/} through to this.
 */
class ConsoleSecurityFilter extends OncePerRequestFilter {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    static final String SIGN_IN = "/ui/sign-in";

    private static final Logger log = LoggerFactory.getLogger(ConsoleSecurityFilter.class);

    private final ITemplateEngine templates;
    private final ConsoleKeyCheck keyCheck;

    ConsoleSecurityFilter(ITemplateEngine templates, ConsoleKeyCheck keyCheck) {
        this.templates = templates;
        this.keyCheck = keyCheck;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = pathOf(request);
        return !(path.equals("/ui") || path.startsWith("/ui/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        String path = pathOf(request);
        if (path.startsWith("/ui/static/") || path.startsWith("/ui/webjars/")) {
            chain.doFilter(request, response);
            return;
        }
        boolean post = "POST".equals(request.getMethod());
        if (!path.equals(SIGN_IN)) {
            Optional<ConsoleUser> user = ConsoleSessions.user(request);
            if (user.isEmpty()) {
                backToSignIn(request, response, false);
                return;
            }
            if (!keyCheck.stillActive(request, user.get())) {
                ConsoleSessions.signOut(request);
                backToSignIn(request, response, true);
                return;
            }
        }
        if (path.equals(SIGN_IN) && post && request.getSession(false) == null) {
            // the sign-in page sat longer than the idle timeout: its token went with its session
            backToSignIn(request, response, false);
            return;
        }
        if (post && !ConsoleSessions.carriesCsrfToken(request)) {
            log.warn("Console POST {} from {} refused: no valid CSRF token", path, request.getRemoteAddr());
            forbidden(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** To the sign-in page, saying why when the session ended or its key was revoked: a redirect, or for htmx (which would swap the page into a fragment) HX-Redirect. */
    private static void backToSignIn(HttpServletRequest request, HttpServletResponse response, boolean revoked)
            throws IOException {
        boolean ended = request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
        String target = request.getContextPath() + SIGN_IN + (revoked ? "?revoked" : ended ? "?ended" : "");
        if (request.getHeader("HX-Request") != null) {
            response.setHeader("HX-Redirect", target);
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return;
        }
        response.sendRedirect(target);
    }

    private void forbidden(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpStatus.FORBIDDEN.value());
        response.setContentType(MediaType.TEXT_HTML_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        IWebExchange exchange = JakartaServletWebApplication.buildApplication(request.getServletContext())
                .buildExchange(request, response);
        templates.process("console/forbidden", new WebContext(exchange), response.getWriter());
    }

    private static String pathOf(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }
}
