package io.dicomspanner.gateway.cors;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Which web pages of other origins may call the search paths ({@code /dicomweb/**}, {@code /api/v1/spanner/**}) from
 * a browser.
 *
 * @param allowedOrigins the origins ({@code https://viewer.example.org}, {@code http://localhost:3000}: scheme, host
 *     and port, no path) whose pages may call them, or {@code *} for any; empty (the default): none, and the gateway
 *     sends no CORS headers at all
 * @param allowCredentials whether a browser may send cookies or TLS client certificates with such a call
 *     ({@code Access-Control-Allow-Credentials: true}); the API key travels in {@code Authorization} and does not need
 *     it. Refused together with {@code *}: any page on the web could then call with the user's credentials
 * @param maxAge how long a browser may keep a preflight's answer ({@code Access-Control-Max-Age})
 */
@Validated
@ConfigurationProperties("spanner.cors")
public record CorsProperties(
        @NotNull List<String> allowedOrigins,
        boolean allowCredentials,

        @NotNull @DurationMin(seconds = 0, message = "must not be negative")
        Duration maxAge) {

    /** The value of {@link #allowedOrigins} that lets every origin in. */
    public static final String ANY_ORIGIN = "*";

    public CorsProperties {
        if (allowedOrigins != null) {
            allowedOrigins = List.copyOf(allowedOrigins);
            for (String origin : allowedOrigins) {
                if (!origin.equals(ANY_ORIGIN)) {
                    checkOrigin(origin);
                }
            }
            if (allowCredentials && allowedOrigins.contains(ANY_ORIGIN)) {
                throw new IllegalArgumentException("spanner.cors.allowed-origins must name the origins, not '*', while"
                        + " spanner.cors.allow-credentials is true: any page on the web could otherwise call the"
                        + " gateway with its users' credentials");
            }
        }
    }

    /** Whether any origin is allowed: without one, the gateway answers no CORS request at all. */
    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    private static void checkOrigin(String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw notAnOrigin(origin);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean onlySchemeHostPort = (scheme.equals("http") || scheme.equals("https"))
                && uri.getHost() != null
                && uri.getRawUserInfo() == null
                && uri.getRawPath().isEmpty()
                && uri.getRawQuery() == null
                && uri.getRawFragment() == null;
        if (!onlySchemeHostPort) {
            throw notAnOrigin(origin);
        }
    }

    private static IllegalArgumentException notAnOrigin(String origin) {
        return new IllegalArgumentException("spanner.cors.allowed-origins: '" + origin + "' is not an origin; write"
                + " scheme, host and port only, as a browser sends it in Origin (https://viewer.example.org,"
                + " http://localhost:3000), or '*'");
    }
}
