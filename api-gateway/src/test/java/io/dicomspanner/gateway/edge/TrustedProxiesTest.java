package io.dicomspanner.gateway.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.gateway.https.HttpsProperties;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void addressesAndNetworksOfBothFamiliesMatchByPrefix() {
        TrustedProxies proxies = TrustedProxies.of(List.of("10.0.0.5", "172.28.0.0/16", "::1", "fd00::/8"));

        assertThat(proxies.trusts("10.0.0.5")).isTrue();
        assertThat(proxies.trusts("10.0.0.6")).isFalse();
        assertThat(proxies.trusts("172.28.255.1")).isTrue();
        assertThat(proxies.trusts("172.29.0.1")).isFalse();
        assertThat(proxies.trusts("0:0:0:0:0:0:0:1")).isTrue();
        assertThat(proxies.trusts("fd12:3456::1")).isTrue();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        // what is no IP literal is never trusted, and never looked up
        assertThat(proxies.trusts("localhost")).isFalse();
        assertThat(proxies.trusts("unknown")).isFalse();
        assertThat(proxies.trusts(null)).isFalse();
    }

    @Test
    void noProxiesTrustNobodyNotEvenLoopback() {
        TrustedProxies none = TrustedProxies.of(List.of());

        assertThat(none.isEmpty()).isTrue();
        assertThat(none.trusts("127.0.0.1")).isFalse();
    }

    @Test
    void malformedEntriesAreRefusedWithTheEntryNamed() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("edge.example.org")))
                .hasMessage("spanner.edge.trusted-proxies: 'edge.example.org' is not an IP address or network "
                        + "(10.0.0.5, 172.28.0.0/16, ::1)");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
                .hasMessage("spanner.edge.trusted-proxies: '10.0.0.0/33' has a prefix length outside 0..32");
        assertThatThrownBy(() -> TrustedProxies.of(List.of("300.0.0.1")))
                .hasMessage("spanner.edge.trusted-proxies: '300.0.0.1' is not an IP address or network "
                        + "(10.0.0.5, 172.28.0.0/16, ::1)");
    }

    @Test
    void thePlainHttpAddressMustBeAnIpAddress() {
        assertThatThrownBy(() -> new HttpsProperties(8443, false, "gateway.local", Duration.ofDays(365)))
                .hasMessage("spanner.https.plain-http-address must be an IP address (127.0.0.1, 0.0.0.0, ::1), not a "
                        + "host name: 'gateway.local'");
        assertThat(new HttpsProperties(8443, true, "0.0.0.0", Duration.ZERO).protocols())
                .containsExactly("TLSv1.3", "TLSv1.2");
    }
}
