package io.dicomspanner.listener.server;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code spanner_listener_connections_open}: the DICOM connections open now, associated or not. Back to 0 when no
 * peer is connected; a value that stays up after the peers left is a leaked association.
 */
@Component
class ConnectionGauge {

    ConnectionGauge(DimseServer server, MeterRegistry registry) {
        Gauge.builder("spanner.listener.connections.open", server, DimseServer::openConnections)
                .description("DICOM connections open now on the listener's ports, associated or not")
                .register(registry);
    }
}
