package io.dicomspanner.gateway.edge;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Resolves the client of a request once, for everything after it: {@code getRemoteAddr()} is the real client's
 * address, which the audit trail, the query log and the log lines then record. A request from a trusted proxy
 * ({@code spanner.edge.trusted-proxies}) is taken to come from the address its {@code X-Forwarded-For} names: the
 * nearest address, walking from the right, that is not itself a trusted proxy. Its {@code X-Forwarded-Proto} says
 * whether the client spoke HTTPS to the proxy. From any other peer both headers are ignored: a client cannot name
 * another address, or claim HTTPS, by sending them itself.
 */
public class ClientAddressFilter extends OncePerRequestFilter {

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";

    private final TrustedProxies proxies;

    public ClientAddressFilter(TrustedProxies proxies) {
        this.proxies = proxies;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (proxies.isEmpty() || !proxies.trusts(request.getRemoteAddr())) {
            chain.doFilter(request, response);
            return;
        }
        String client = clientBehind(request.getRemoteAddr(), request.getHeaders(FORWARDED_FOR));
        String proto = lastValue(request.getHeaders(FORWARDED_PROTO));
        boolean secure = proto == null ? request.isSecure() : proto.equalsIgnoreCase("https");
        chain.doFilter(new Forwarded(request, client, secure), response);
    }

    /** The right-most address of the X-Forwarded-For hops that is not a trusted proxy. */
    private String clientBehind(String peer, Enumeration<String> headers) {
        List<String> hops = new ArrayList<>();
        while (headers.hasMoreElements()) {
            for (String hop : headers.nextElement().split(",")) {
                if (!hop.isBlank()) {
                    hops.add(hop.strip());
                }
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (TrustedProxies.parse(hop).isEmpty()) {
                break; // "unknown", a name, garbage: the last address believed so far stands
            }
            client = hop;
            if (!proxies.trusts(hop)) {
                break;
            }
        }
        return client;
    }

    private static String lastValue(Enumeration<String> headers) {
        String last = null;
        while (headers.hasMoreElements()) {
            for (String value : headers.nextElement().split(",")) {
                if (!value.isBlank()) {
                    last = value.strip().toLowerCase(Locale.ROOT);
                }
            }
        }
        return last;
    }

    private static final class Forwarded extends HttpServletRequestWrapper {
        private final String client;
        private final boolean secure;

        Forwarded(HttpServletRequest request, String client, boolean secure) {
            super(request);
            this.client = client;
            this.secure = secure;
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        @Override
        public String getRemoteHost() {
            return client;
        }

        @Override
        public String getScheme() {
            return secure ? "https" : "http";
        }

        @Override
        public boolean isSecure() {
            return secure;
        }
    }
}
