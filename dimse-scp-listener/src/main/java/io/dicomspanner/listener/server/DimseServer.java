package io.dicomspanner.listener.server;

import io.dicomspanner.common.tls.DicomTlsContexts;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.listener.ListenerProperties;
import io.dicomspanner.listener.aetitle.AeTitleFilter;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.find.SpanningFindHandler;
import io.dicomspanner.listener.tls.CallingAeSubjectRule;
import io.dicomspanner.listener.tls.TlsAssociationFilter;
import io.dicomspanner.listener.tls.TlsEvents;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The C-ECHO and C-FIND SCP: on the plain port {@code spanner.listener.dicom.port} and on the TLS port
 * {@code spanner.listener.tls.port}, the same services on both: Verification and the three C-FIND models (Study Root,
 * Patient Root, Patient/Study Only) with relational queries agreed when asked (the workers handle them against PACS that
 * lack them). The TLS port's key, certificate and trusted authorities come from an SSL bundle and are replaced when its
 * files change (new associations use the new ones). Started last and stopped first, so no association is accepted
 * before the answer queue is declared or after it is gone.
 */
@Component
public class DimseServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DimseServer.class);

    private final ListenerProperties.Dicom properties;
    private final ListenerProperties.Tls tlsProperties;
    private final ScpConfigs configs;
    private final AeTitleFilter filter;
    private final SpanningFindHandler findHandler;
    private final SslBundles bundles;
    private final TlsEvents tlsEvents;
    private final boolean tlsOn;
    private volatile DicomServer server;
    private volatile DicomServer tlsServer;

    public DimseServer(
            ListenerProperties properties,
            ScpConfigs configs,
            AeTitleFilter filter,
            SpanningFindHandler findHandler,
            SslBundles bundles,
            TlsEvents tlsEvents) {
        this.properties = properties.dicom();
        this.tlsProperties = properties.tls();
        this.configs = configs;
        this.filter = filter;
        this.findHandler = findHandler;
        this.bundles = bundles;
        this.tlsEvents = tlsEvents;
        this.tlsOn = tlsOn(tlsProperties, bundles);
        if (!tlsOn && !this.properties.plainPortEnabled()) {
            throw new IllegalStateException(
                    "no DICOM port: spanner.listener.dicom.plain-port-enabled is false and there"
                            + " is no TLS port (spanner.listener.tls.mode "
                            + tlsProperties
                                    .mode()
                                    .name()
                                    .toLowerCase(Locale.ROOT)
                                    .replace('_', '-')
                            + ", SSL bundle '" + tlsProperties.bundle() + "' "
                            + (configured(tlsProperties, bundles) ? "" : "not ")
                            + "configured)");
        }
    }

    /** Whether there is a TLS port; fails with what is missing when it is on and cannot be served. */
    static boolean tlsOn(ListenerProperties.Tls tls, SslBundles bundles) {
        boolean configured = configured(tls, bundles);
        boolean on = switch (tls.mode()) {
            case OFF -> false;
            case WHEN_CONFIGURED -> configured;
            case ON -> {
                if (!configured) {
                    throw new IllegalStateException("spanner.listener.tls.mode is on, but there is no SSL bundle '"
                            + tls.bundle() + "': set spring.ssl.bundle.pem." + tls.bundle()
                            + ".keystore.certificate, .keystore.private-key and .truststore.certificate");
                }
                yield true;
            }
        };
        if (on && tls.clientCertificateRequired()) {
            SslBundle bundle = bundles.getBundle(tls.bundle());
            if (bundle.getStores().getTrustStore() == null) {
                throw new IllegalStateException(
                        "client certificates are required at the DICOM TLS port, but SSL bundle '"
                                + tls.bundle() + "' has no truststore: set spring.ssl.bundle.pem." + tls.bundle()
                                + ".truststore.certificate to the authorities that issue them (or"
                                + " spanner.listener.tls.client-certificate-required: false)");
            }
        }
        return on;
    }

    private static boolean configured(ListenerProperties.Tls tls, SslBundles bundles) {
        return bundles.getBundleNames().contains(tls.bundle());
    }

    /** The DICOM settings this listener's limits map to (docs/configuration-listener.md). */
    static DicomSettings settings(ListenerProperties.Dicom p) {
        return DicomSettings.builder()
                .maxAssociations(p.maxAssociations())
                .maxOperationsPerformed(p.maxOperationsPerAssociation())
                .maxPduLengthReceive(p.maxPduLength())
                .maxPduLengthSend(p.maxPduLength())
                .acceptorIdleTimeout(p.idleTimeout())
                .artimTimeout(p.artimTimeout())
                .eventLoopThreads(p.eventLoopThreads())
                .build();
    }

    @Override
    public void start() {
        // Called AE titles are checked from the first association on.
        configs.refresh();
        DicomServiceRegistry services = new DicomServiceRegistry()
                .register(new CEchoScp())
                .register(new CFindScp(findHandler, Set.copyOf(SopClasses.QUERY_FIND), QueryOptions.RELATIONAL));
        try {
            if (properties.plainPortEnabled()) {
                server = DicomServer.builder()
                        .settings(settings(properties))
                        .bind(properties.bindAddress(), properties.port())
                        .filter(filter)
                        .requestHandler(services)
                        .start();
            }
            if (tlsOn) {
                SslBundle bundle = DicomTlsContexts.watch(bundles, tlsProperties.bundle(), this::renew);
                tlsServer = DicomServer.builder()
                        .settings(settings(properties))
                        .bind(properties.bindAddress(), tlsProperties.port())
                        .tls(context(bundle))
                        .filter(new TlsAssociationFilter(
                                filter, new CallingAeSubjectRule(tlsProperties.callingAeSubjects()), tlsEvents))
                        .onTlsHandshakeFailure(tlsEvents::handshakeFailed)
                        .onAssociation(association -> tlsEvents.associationAccepted())
                        .requestHandler(services)
                        .start();
            }
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        }
    }

    private SslContext context(SslBundle bundle) throws SSLException {
        return DicomTlsContexts.server(bundle, tlsProperties.profile(), tlsProperties.clientCertificateRequired());
    }

    /** The bundle's files changed: new TLS associations use the new key, certificate and trusted authorities. */
    private void renew(SslBundle bundle) {
        DicomServer running = tlsServer;
        if (running == null) {
            return;
        }
        try {
            running.updateTls(context(bundle));
            log.info("DICOM TLS port {}: SSL bundle '{}' reloaded", running.port(), tlsProperties.bundle());
        } catch (SSLException | RuntimeException e) {
            log.error(
                    "DICOM TLS port {}: SSL bundle '{}' changed but cannot be used, keeping the previous one: {}",
                    running.port(),
                    tlsProperties.bundle(),
                    e.toString());
        }
    }

    @Override
    public void stop() {
        DicomServer running = server;
        DicomServer runningTls = tlsServer;
        server = null;
        tlsServer = null;
        if (running != null) {
            running.close();
        }
        if (runningTls != null) {
            runningTls.close();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null || tlsServer != null;
    }

    /** After the AMQP listener containers (which start in phase Integer.MAX_VALUE, as does this). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /**
     * Connections open now on both ports, associated or not: 0 once every peer has gone, whatever it sent (gauge
     * {@code spanner_listener_connections_open}).
     */
    public int openConnections() {
        DicomServer running = server;
        DicomServer runningTls = tlsServer;
        return (running == null ? 0 : running.openConnections())
                + (runningTls == null ? 0 : runningTls.openConnections());
    }

    /** The plain port bound (useful with port 0). */
    public int port() {
        DicomServer running = server;
        if (running == null) {
            throw new IllegalStateException("the plain DICOM port is not open");
        }
        return running.port();
    }

    /** The TLS port bound (useful with port 0). */
    public int tlsPort() {
        DicomServer running = tlsServer;
        if (running == null) {
            throw new IllegalStateException("the DICOM TLS port is not open");
        }
        return running.port();
    }
}
