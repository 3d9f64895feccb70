package io.dicomspanner.dicom.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for DICOM connections (PS3.15 Annex B): this side's key and certificate, from PEM files or a key store, and the
 * certificates it trusts, from a PEM file or a trust store. A server needs key material; a client needs it only for
 * client authentication and otherwise trusts the JDK's default authorities unless told otherwise.
 *
 * @param certificateChain PEM certificate chain, with {@code privateKey}; or {@code null} to use {@code keyStore}
 * @param privateKey PEM private key in PKCS#8 form, optionally encrypted with {@code privateKeyPassword}
 * @param keyStore PKCS12 or JKS key store holding this side's key entry
 * @param keyStoreType "PKCS12" (default when {@code null}) or "JKS"
 * @param trustedCertificates PEM file of certificates to trust; or {@code null} to use {@code trustStore}
 * @param trustStore key store of trusted certificates; with neither, the JDK's default trust applies
 * @param clientAuthRequired as server: require a client certificate signed by a trusted authority
 * @param verifyHostname as client: check the server certificate names the host connected to
 * @param protocols TLS versions to enable; empty = "TLSv1.3", "TLSv1.2"
 */
public record TlsSettings(
        Path certificateChain,
        Path privateKey,
        String privateKeyPassword,
        Path keyStore,
        String keyStoreType,
        String keyStorePassword,
        Path trustedCertificates,
        Path trustStore,
        String trustStoreType,
        String trustStorePassword,
        boolean clientAuthRequired,
        boolean verifyHostname,
        List<String> protocols) {

    public TlsSettings {
        protocols = protocols == null || protocols.isEmpty() ? List.of("TLSv1.3", "TLSv1.2") : List.copyOf(protocols);
        if ((certificateChain == null) != (privateKey == null)) {
            throw new IllegalArgumentException("certificateChain and privateKey go together");
        }
    }

    /** Key and certificate chain from PEM files (a server's usual setup). */
    public static TlsSettings fromPem(Path certificateChain, Path privateKey) {
        return new TlsSettings(
                certificateChain, privateKey, null, null, null, null, null, null, null, null, false, true, List.of());
    }

    /** Key from a key store (PKCS12 or JKS). */
    public static TlsSettings fromKeyStore(Path keyStore, String type, String password) {
        return new TlsSettings(
                null, null, null, keyStore, type, password, null, null, null, null, false, true, List.of());
    }

    /** No key of its own: a client that trusts the authorities of a PEM file. */
    public static TlsSettings trusting(Path trustedCertificates) {
        return new TlsSettings(
                null, null, null, null, null, null, trustedCertificates, null, null, null, false, true, List.of());
    }

    public TlsSettings withTrustedCertificates(Path pem) {
        return new TlsSettings(
                certificateChain,
                privateKey,
                privateKeyPassword,
                keyStore,
                keyStoreType,
                keyStorePassword,
                pem,
                trustStore,
                trustStoreType,
                trustStorePassword,
                clientAuthRequired,
                verifyHostname,
                protocols);
    }

    public TlsSettings withTrustStore(Path store, String type, String password) {
        return new TlsSettings(
                certificateChain,
                privateKey,
                privateKeyPassword,
                keyStore,
                keyStoreType,
                keyStorePassword,
                trustedCertificates,
                store,
                type,
                password,
                clientAuthRequired,
                verifyHostname,
                protocols);
    }

    public TlsSettings withClientAuthRequired(boolean required) {
        return new TlsSettings(
                certificateChain,
                privateKey,
                privateKeyPassword,
                keyStore,
                keyStoreType,
                keyStorePassword,
                trustedCertificates,
                trustStore,
                trustStoreType,
                trustStorePassword,
                required,
                verifyHostname,
                protocols);
    }

    public TlsSettings withVerifyHostname(boolean verify) {
        return new TlsSettings(
                certificateChain,
                privateKey,
                privateKeyPassword,
                keyStore,
                keyStoreType,
                keyStorePassword,
                trustedCertificates,
                trustStore,
                trustStoreType,
                trustStorePassword,
                clientAuthRequired,
                verify,
                protocols);
    }

    /** The server side context. */
    public SslContext newServerContext() throws IOException, GeneralSecurityException {
        SslContextBuilder b;
        if (certificateChain != null) {
            b = SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile(), privateKeyPassword);
        } else if (keyStore != null) {
            b = SslContextBuilder.forServer(keyManagers());
        } else {
            throw new IllegalStateException("a TLS server needs a certificate and key (PEM files or a key store)");
        }
        trust(b);
        b.clientAuth(clientAuthRequired ? ClientAuth.REQUIRE : ClientAuth.NONE);
        return b.protocols(protocols).build();
    }

    /** The client side context. */
    public SslContext newClientContext() throws IOException, GeneralSecurityException {
        SslContextBuilder b = SslContextBuilder.forClient();
        if (certificateChain != null) {
            b.keyManager(certificateChain.toFile(), privateKey.toFile(), privateKeyPassword);
        } else if (keyStore != null) {
            b.keyManager(keyManagers());
        }
        trust(b);
        b.endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        return b.protocols(protocols).build();
    }

    private void trust(SslContextBuilder b) throws IOException, GeneralSecurityException {
        if (trustedCertificates != null) {
            b.trustManager(trustedCertificates.toFile());
        } else if (trustStore != null) {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(trustStore, trustStoreType, trustStorePassword));
            b.trustManager(tmf);
        }
    }

    private KeyManagerFactory keyManagers() throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore, keyStoreType, keyStorePassword), password(keyStorePassword));
        return kmf;
    }

    private static KeyStore load(Path path, String type, String password) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type == null ? "PKCS12" : type);
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, password(password));
        }
        return ks;
    }

    private static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    /** Paths only: passwords never appear in logs. */
    @Override
    public String toString() {
        return "TlsSettings[" + (certificateChain != null ? "cert " + certificateChain : "")
                + (keyStore != null ? "key store " + keyStore : "")
                + (trustedCertificates != null ? ", trust " + trustedCertificates : "")
                + (trustStore != null ? ", trust store " + trustStore : "")
                + (clientAuthRequired ? ", client auth required" : "") + ", protocols " + protocols + "]";
    }
}
