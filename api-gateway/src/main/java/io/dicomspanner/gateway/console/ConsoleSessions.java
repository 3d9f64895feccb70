package io.dicomspanner.gateway.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * What a console session holds: its CSRF token (from the first page, before sign-in) and, once signed in, its
 * {@link ConsoleUser}. The one place that knows the session's attribute names.
 */
final class ConsoleSessions {

    /** The form field that carries the CSRF token. */
    static final String CSRF_FIELD = "_csrf";
    /** The header htmx sends it in (set on every page's body with {@code hx-headers}). */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private static final String USER = ConsoleSessions.class.getName() + ".user";
    private static final String CSRF = ConsoleSessions.class.getName() + ".csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ConsoleSessions() {}

    /** The session's user; empty when nobody is signed in or there is no session. */
    static Optional<ConsoleUser> user(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(USER) instanceof ConsoleUser user) {
            return Optional.of(user);
        }
        return Optional.empty();
    }

    /** The session's user. @throws IllegalStateException when nobody is signed in (the filter lets no such request by) */
    static ConsoleUser signedIn(HttpServletRequest request) {
        return user(request)
                .orElseThrow(() -> new IllegalStateException("No console user; ConsoleSecurityFilter must demand one"));
    }

    /** The session's CSRF token, making the session (with the idle timeout) and the token when there are none. */
    static String csrfToken(HttpServletRequest request, int idleSeconds) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            session = request.getSession(true);
            session.setMaxInactiveInterval(idleSeconds);
        }
        if (session.getAttribute(CSRF) instanceof String token) {
            return token;
        }
        String token = newToken();
        session.setAttribute(CSRF, token);
        return token;
    }

    /** The CSRF token of a signed-in session. */
    static String csrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null && session.getAttribute(CSRF) instanceof String token) {
            return token;
        }
        throw new IllegalStateException("No console session with a CSRF token");
    }

    /** Whether the request carries its session's CSRF token, in the form field or the header. */
    static boolean carriesCsrfToken(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(CSRF) instanceof String expected)) {
            return false;
        }
        String presented = request.getHeader(CSRF_HEADER);
        if (presented == null) {
            presented = request.getParameter(CSRF_FIELD);
        }
        return presented != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Signs {@code user} in: a new session id (whatever id an attacker planted stays anonymous), a new CSRF token.
     */
    static void signIn(HttpServletRequest request, ConsoleUser user, int idleSeconds) {
        request.changeSessionId();
        HttpSession session = request.getSession();
        session.setMaxInactiveInterval(idleSeconds);
        session.setAttribute(CSRF, newToken());
        session.setAttribute(USER, user);
    }

    static void signOut(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
