package io.dicomspanner.common.tls;

import io.dicomspanner.dicom.net.TlsProfile;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * DICOM TLS contexts from Spring Boot SSL bundles: the one way every service gets its certificates
 * ({@code spring.ssl.bundle.pem.<name>}, with {@code reload-on-update: true} so that renewed files are picked up
 * without a restart, and Spring Boot's {@code ssl.chain.expiry} metric for each bundle's chain). The HTTPS side uses
 * the bundles directly; the DICOM side, on Netty, gets its contexts here.
 */
public final class DicomTlsContexts {

    private DicomTlsContexts() {}

    /**
     * A client context: the bundle's key (when it has one: certificate-based authentication towards the peer), its
     * trusted certificates (none: the JDK's), the profile's versions and suites.
     *
     * @param verifyHostname whether the peer's certificate must name the host connected to
     */
    public static SslContext client(SslBundle bundle, TlsProfile profile, boolean verifyHostname) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .keyManager(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        return withProfile(b, profile).build();
    }

    /**
     * A server context: the bundle's key and certificate, its trusted certificates for client certificates.
     *
     * @param clientAuthRequired whether a client must present a certificate the bundle trusts
     */
    public static SslContext server(SslBundle bundle, TlsProfile profile, boolean clientAuthRequired)
            throws SSLException {
        SslContextBuilder b = SslContextBuilder.forServer(bundle.getManagers().getKeyManagerFactory())
                .trustManager(bundle.getManagers().getTrustManagerFactory())
                .clientAuth(clientAuthRequired ? ClientAuth.REQUIRE : ClientAuth.NONE);
        return withProfile(b, profile).build();
    }

    /**
     * The bundle called {@code name}, and {@code onUpdate} with its new content each time its files change.
     *
     * @throws NoSuchSslBundleException naming the bundle when there is none of that name
     */
    public static SslBundle watch(SslBundles bundles, String name, Consumer<SslBundle> onUpdate) {
        SslBundle bundle = bundles.getBundle(name);
        bundles.addBundleUpdateHandler(name, onUpdate);
        return bundle;
    }

    private static SslContextBuilder withProfile(SslContextBuilder b, TlsProfile profile) {
        return b.protocols(profile.protocols()).ciphers(profile.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE);
    }
}
