package io.dicomspanner.gateway.https;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The HTTPS port. It is served when the SSL bundle {@value HttpsConnectorConfiguration#BUNDLE} is configured
 * ({@code spring.ssl.bundle.pem.spanner-https.*}); then plain HTTP ({@code server.port}) listens on
 * {@code plainHttpAddress} only.
 *
 * @param port the HTTPS port (0: any free port)
 * @param allowTls12 accept TLS 1.2 besides TLS 1.3, for clients that cannot speak 1.3
 * @param plainHttpAddress the address plain HTTP binds to while HTTPS is on: loopback by default, so that API keys
 *     and answers with PHI cross the network only encrypted; {@code 0.0.0.0} serves plain HTTP on every interface
 * @param hstsMaxAge how long a browser that saw an HTTPS answer uses only HTTPS for this host
 *     ({@code Strict-Transport-Security: max-age=...}); zero sends {@code max-age=0}, which tells it to forget
 */
@Validated
@ConfigurationProperties("spanner.https")
public record HttpsProperties(
        @NotNull @Min(0) @Max(65535) Integer port,
        boolean allowTls12,
        @NotNull String plainHttpAddress,

        @NotNull @DurationMin(millis = 0, message = "must not be negative")
        Duration hstsMaxAge) {

    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public HttpsProperties {
        if (plainHttpAddress != null && !IP_LITERAL.matcher(plainHttpAddress).matches()) {
            throw new IllegalArgumentException("spanner.https.plain-http-address must be an IP address (127.0.0.1, "
                    + "0.0.0.0, ::1), not a host name: '" + plainHttpAddress + "'");
        }
    }

    /** The TLS versions the HTTPS port accepts. */
    public List<String> protocols() {
        return allowTls12 ? List.of("TLSv1.3", "TLSv1.2") : List.of("TLSv1.3");
    }
}
