package io.dicomspanner.worker.sources;

import io.dicomspanner.common.messaging.EchoRequest;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.ProbeRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealRejectedException;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.worker.health.EchoListener;
import io.dicomspanner.worker.probe.ProbeRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * This worker's own queue on {@link Topology#HEALTH_ECHO_EXCHANGE}, bound by {@link ServedSources} for each source
 * served with two routing keys: {@link Topology#healthEchoRoutingKey} for an {@link EchoRequest},
 * {@link Topology#matchingProbeRoutingKey} for a {@link ProbeRequest}. The messages are the {@link MessageCodec} JSON
 * of the record, sealed ({@link SealedCodec}), with no type header (the gateway publishes them so), so the routing key
 * they came with says which they are: it is compared with the keys of the source the body names.
 */
@Component
public class SourceRequestListener {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRequestListener.class);

    private final EchoListener echo;
    private final ProbeRunner probe;
    private final MessageCodec codec = MessageCodec.instance();
    private final SealedCodec sealed;

    public SourceRequestListener(EchoListener echo, ProbeRunner probe, SealedCodec sealed) {
        this.echo = echo;
        this.probe = probe;
        this.sealed = sealed;
    }

    @RabbitListener(queues = "#{healthEchoQueue.name}")
    public void onMessage(Message message) {
        String routingKey = message.getMessageProperties().getReceivedRoutingKey();
        byte[] json;
        try {
            json = sealed.openMessage(message.getBody());
        } catch (SealRejectedException e) {
            // Counted by the codec; dropped, as a redelivery would not open either.
            LOG.warn(
                    "request with routing key {} does not open ({}); dropped",
                    routingKey,
                    e.reason().tag());
            return;
        }
        try {
            JsonNode body = codec.mapper().readTree(json);
            JsonNode sourceId = body.get("sourceId");
            if (sourceId == null || !sourceId.canConvertToLong()) {
                LOG.warn("request with routing key {} names no source; dropped", routingKey);
                return;
            }
            long id = sourceId.asLong();
            if (Topology.healthEchoRoutingKey(id).equals(routingKey)) {
                echo.onEchoRequest(codec.read(json, EchoRequest.class));
            } else if (Topology.matchingProbeRoutingKey(id).equals(routingKey)) {
                probe.onProbeRequest(codec.read(json, ProbeRequest.class));
            } else {
                LOG.warn(
                        "request for source {} with routing key {} is neither an echo nor a probe; dropped",
                        id,
                        routingKey);
            }
        } catch (JacksonException e) {
            LOG.warn(
                    "unreadable request with routing key {} dropped ({})",
                    routingKey,
                    e.getClass().getSimpleName());
        }
    }
}
