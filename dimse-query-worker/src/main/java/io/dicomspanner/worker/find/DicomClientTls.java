package io.dicomspanner.worker.find;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.tls.DicomTlsContexts;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.TlsProfile;
import io.dicomspanner.worker.WorkerProperties;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The TLS side of the worker's DICOM client: its context comes from the SSL bundle named by {@code
 * spanner.worker.tls.bundle} (its key and certificate: the client certificate a PACS authenticates the worker by;
 * its trusted certificates: the PACS CAs), with the profile of {@code spanner.worker.tls.profile}, and is replaced
 * each time the bundle's files change. Without such a bundle the worker still starts: plain sources are asked as
 * ever, sources with {@code tls: true} fail with a message naming the missing bundle.
 */
public final class DicomClientTls {
    private static final Logger LOG = LoggerFactory.getLogger(DicomClientTls.class);

    private final String bundleName;
    private final TlsProfile profile;
    private volatile boolean configured;

    public DicomClientTls(WorkerProperties.Tls settings) {
        this.bundleName = settings.bundle();
        this.profile = settings.profile();
    }

    /**
     * The peer a source is asked as: over TLS when it says so, its certificate's host name checked unless it says
     * not to (the client's context checks host names; a peer may turn that off).
     */
    public static DicomPeer peer(SourceEndpoint source) {
        return new DicomPeer(
                source.host(),
                source.port(),
                source.aeTitle(),
                source.callingAeTitle(),
                source.tls(),
                source.tlsVerifyHostname());
    }

    /**
     * Gives {@code client} the bundle's context, and a new one whenever the bundle is reloaded.
     *
     * @throws IllegalStateException when the bundle exists but makes no usable context (start-up fails)
     */
    void applyTo(DicomClient client, SslBundles bundles) {
        SslBundle bundle;
        try {
            bundle = DicomTlsContexts.watch(bundles, bundleName, updated -> reload(client, updated));
        } catch (NoSuchSslBundleException e) {
            LOG.warn(
                    "no TLS client bundle '{}' configured (spring.ssl.bundle.pem.{}): sources with tls: true fail"
                            + " until one is",
                    bundleName,
                    bundleName);
            return;
        }
        client.updateTls(context(bundle));
        configured = true;
        LOG.info("DICOM TLS towards sources: bundle '{}', profile {}", bundleName, profile);
    }

    /** Why a source cannot be asked at all, or {@code null} when it can. */
    public String unavailableFor(SourceEndpoint source) {
        return source.tls() && !configured ? "no TLS client bundle '" + bundleName + "' configured" : null;
    }

    private void reload(DicomClient client, SslBundle bundle) {
        try {
            client.updateTls(context(bundle));
            LOG.info("TLS client bundle '{}' reloaded: new connections to sources use it", bundleName);
        } catch (IllegalStateException e) {
            LOG.error(
                    "TLS client bundle '{}' reloaded but unusable; new connections keep the previous one: {}",
                    bundleName,
                    e.getMessage());
        }
    }

    private SslContext context(SslBundle bundle) {
        try {
            return DicomTlsContexts.client(bundle, profile, true);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "TLS client bundle '" + bundleName + "' makes no usable TLS context: " + e.getMessage(), e);
        }
    }
}
