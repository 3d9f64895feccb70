package io.dicomspanner.gateway.edge;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * What the gateway believes of the proxies in front of it.
 *
 * @param trustedProxies the addresses ({@code 10.0.0.5}, {@code ::1}) and networks ({@code 172.28.0.0/16}) of the
 *     proxies whose {@code X-Forwarded-For} and {@code X-Forwarded-Proto} the gateway believes. Empty (the default):
 *     nobody's, not even loopback's, so a client cannot name another address by sending the header itself.
 */
@Validated
@ConfigurationProperties("spanner.edge")
public record EdgeProperties(@NotNull List<String> trustedProxies) {

    /** The trusted proxies, parsed; a malformed entry fails start-up with the entry named. */
    public TrustedProxies proxies() {
        return TrustedProxies.of(trustedProxies);
    }
}
