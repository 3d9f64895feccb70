package io.dicomspanner.dicom.net;

import java.util.List;

/**
 * The secure transport connection profiles of PS3.15 Annex B that this side speaks: which TLS versions and cipher
 * suites a connection may use. Both ends of a DICOM TLS connection of the spanner use the same profile.
 */
public enum TlsProfile {
    /**
     * PS3.15 B.9 "Non-downgrading BCP 195 TLS Profile" (dcmtk's {@code +py}, its default): TLS 1.3 or 1.2, never
     * lower, and for 1.2 only the ECDHE/DHE AES-GCM suites that BCP 195 recommends.
     */
    BCP195_NON_DOWNGRADING(
            List.of("TLSv1.3", "TLSv1.2"),
            List.of(
                    "TLS_AES_128_GCM_SHA256",
                    "TLS_AES_256_GCM_SHA384",
                    "TLS_CHACHA20_POLY1305_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
                    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384")),
    /** TLS 1.3 only, with its standard suites. */
    TLS13_ONLY(
            List.of("TLSv1.3"),
            List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"));

    private final List<String> protocols;
    private final List<String> cipherSuites;

    TlsProfile(List<String> protocols, List<String> cipherSuites) {
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
    }

    /** TLS versions, in JSSE names ({@code TLSv1.3}). */
    public List<String> protocols() {
        return protocols;
    }

    /** Cipher suites, in IANA/JSSE names, in order of preference. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }
}
