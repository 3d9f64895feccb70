package io.dicomspanner.listener.server;

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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The C-ECHO and C-FIND SCP on {@code spanner.listener.dicom.port}: Verification and the three C-FIND models (Study
 * Root, Patient Root, Patient/Study Only) with relational queries agreed when asked (the workers handle them against
 * PACS that lack them). Started last and stopped first, so no association is accepted before the answer queue is
 * declared or after it is gone.
 */
@Component
public class DimseServer implements SmartLifecycle {

    private final ListenerProperties.Dicom properties;
    private final ScpConfigs configs;
    private final AeTitleFilter filter;
    private final SpanningFindHandler findHandler;
    private volatile DicomServer server;

    public DimseServer(
            ListenerProperties properties, ScpConfigs configs, AeTitleFilter filter, SpanningFindHandler findHandler) {
        this.properties = properties.dicom();
        this.configs = configs;
        this.filter = filter;
        this.findHandler = findHandler;
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
            server = DicomServer.builder()
                    .settings(settings(properties))
                    .bind(properties.bindAddress(), properties.port())
                    .filter(filter)
                    .requestHandler(services)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        DicomServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** After the AMQP listener containers (which start in phase Integer.MAX_VALUE, as does this). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    /** The port bound (useful with port 0). */
    public int port() {
        DicomServer running = server;
        if (running == null) {
            throw new IllegalStateException("the DICOM server is not running");
        }
        return running.port();
    }
}
