package io.dicomspanner.worker.health;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.worker.sources.ServedSources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * On-demand C-ECHO: the gateway's {@code POST /api/v1/sources/{id}/health/echo} publishes an {@link EchoRequest} to the
 * health echo exchange, which routes it to the own echo queue of every worker serving the source (bound by
 * {@link ServedSources}, read by {@link io.dicomspanner.worker.sources.SourceRequestListener}). The worker echoes at
 * once and records the outcome where the scheduled checks do, unless a check newer than the request is already
 * recorded (another worker of the source was quicker).
 */
@Component
public class EchoListener {
    private static final Logger LOG = LoggerFactory.getLogger(EchoListener.class);

    private final ServedSources served;
    private final HealthChecker health;

    public EchoListener(ServedSources served, HealthChecker health) {
        this.served = served;
        this.health = health;
    }

    /** An echo request from this worker's own queue ({@link io.dicomspanner.worker.sources.SourceRequestListener}). */
    public void onEchoRequest(EchoRequest request) {
        if (!served.serves(request.sourceId())) {
            LOG.debug("echo request {} for source {} not served here", request.requestId(), request.sourceId());
            return;
        }
        var endpoint = served.endpoint(request.sourceId());
        if (endpoint.isEmpty()) {
            LOG.warn(
                    "echo request {}: source {} is served but not in the sources table; not echoed",
                    request.requestId(),
                    request.sourceId());
            return;
        }
        if (health.checkedSince(request.sourceId(), request.requestedEpochMillis())) {
            LOG.debug(
                    "echo request {}: a newer check of source {} is recorded", request.requestId(), request.sourceId());
            return;
        }
        LOG.info(
                "echo request {} from {}: C-ECHO to source {}",
                request.requestId(),
                request.requestedBy(),
                request.sourceId());
        health.check(endpoint.get());
    }
}
