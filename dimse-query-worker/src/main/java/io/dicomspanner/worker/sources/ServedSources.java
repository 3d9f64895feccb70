package io.dicomspanner.worker.sources;

import io.dicomspanner.common.messaging.QueueType;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.health.KnownSources;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The sources this worker serves: those listed in {@code spanner.worker.sources} and every enabled source of the
 * locations in {@code spanner.worker.source-locations} or carrying a tag of {@code spanner.worker.source-tags} (one
 * worker service per group of sites); with none of the three, every enabled source of the {@link SourceDirectory}.
 * The directory is read again every {@code source-refresh}. For each one the worker consumes its task
 * queue and binds its own health-echo queue with the source's echo and probe routing keys; a source that is added (or
 * enabled) is taken up, one that is removed (or disabled) is let go, without a restart.
 *
 * <p>Every refresh declares the queues and bindings of all served sources again (idempotent), so they come back by
 * themselves after a broker restart. When the directory cannot be read, the worker keeps serving what it served.
 */
@Component
public class ServedSources implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ServedSources.class);

    private final SourceDirectory directory;
    private final AbstractMessageListenerContainer tasks;
    private final AmqpAdmin admin;
    private final QueueType queueType;
    private final String healthEchoQueue;
    private final KnownSources knownSources;
    private final List<Long> listed;
    private final List<String> locations;
    private final List<String> tags;
    private final boolean everySource;

    private Set<Long> served = Set.of();
    private volatile boolean running;
    private volatile Map<Long, SourceEndpoint> endpoints = Map.of();

    public ServedSources(
            SourceDirectory directory,
            @Qualifier("taskListenerContainer") AbstractMessageListenerContainer tasks,
            AmqpAdmin admin,
            @Qualifier("healthEchoQueue") Queue healthEchoQueue,
            KnownSources knownSources,
            WorkerProperties properties,
            QueueType messagingQueueType) {
        this.directory = directory;
        this.queueType = messagingQueueType;
        this.tasks = tasks;
        this.admin = admin;
        this.healthEchoQueue = healthEchoQueue.getName();
        this.knownSources = knownSources;
        this.listed = properties.sources();
        this.locations = properties.sourceLocations();
        this.tags = properties.sourceTags();
        this.everySource = properties.servesEverySource();
    }

    /**
     * Serves the sources from the start, and again after a stop (a paused test context, a restart): the queues,
     * bindings and consumers are set up afresh, since the broker connection may be a new one.
     */
    @Override
    public synchronized void start() {
        served = Set.of();
        running = true;
        refresh();
    }

    @Override
    public synchronized void stop() {
        running = false;
        tasks.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Scheduled(
            fixedDelayString = "${spanner.worker.source-refresh}",
            initialDelayString = "${spanner.worker.source-refresh}")
    void scheduledRefresh() {
        if (running) {
            refresh();
        }
    }

    /** Reads the directory and serves what it says (or the list); returns the ids served afterwards. */
    public synchronized Set<Long> refresh() {
        Map<Long, SourceEndpoint> enabled = null;
        Set<Long> selected = null;
        try {
            enabled = directory.enabledSources();
            if (!locations.isEmpty() || !tags.isEmpty()) {
                selected = directory.enabledSourcesIn(locations, tags);
            }
        } catch (DataAccessException e) {
            LOG.warn("source directory unreadable, serving the same sources as before: {}", e.getMessage());
            enabled = null;
        }
        Set<Long> next;
        if (everySource) {
            next = enabled != null ? new LinkedHashSet<>(enabled.keySet()) : served;
        } else if (locations.isEmpty() && tags.isEmpty()) {
            next = new LinkedHashSet<>(listed);
        } else if (selected != null) {
            next = new LinkedHashSet<>(listed);
            next.addAll(selected);
        } else {
            // The selection is unknown without the directory: the listed ids, and what was served, stay served.
            next = new LinkedHashSet<>(listed);
            next.addAll(served);
        }
        try {
            for (long id : next) {
                TopologyDeclarations.declareTaskQueue(admin, id, queueType);
                admin.declareBinding(
                        TopologyDeclarations.healthEchoBinding(Topology.HEALTH_ECHO_EXCHANGE, healthEchoQueue, id));
                admin.declareBinding(probeBinding(id));
            }
            for (long id : served) {
                if (!next.contains(id)) {
                    admin.removeBinding(
                            TopologyDeclarations.healthEchoBinding(Topology.HEALTH_ECHO_EXCHANGE, healthEchoQueue, id));
                    admin.removeBinding(probeBinding(id));
                }
            }
            if (!next.equals(served)) {
                consume(next);
                LOG.info("serving sources {}", next);
            }
        } catch (AmqpException e) {
            LOG.warn("sources {} not (yet) served, broker unavailable: {}", next, e.getMessage());
            return served;
        }
        served = Set.copyOf(next);
        if (enabled != null) {
            Map<Long, SourceEndpoint> known = new LinkedHashMap<>(enabled);
            known.keySet().retainAll(served);
            endpoints = Map.copyOf(known);
            known.values().forEach(knownSources::seen);
        }
        return served;
    }

    /** Whether this worker serves the source now. */
    public synchronized boolean serves(long sourceId) {
        return served.contains(sourceId);
    }

    /** How to reach a served source, as the directory last said (empty if the directory never listed it). */
    public Optional<SourceEndpoint> endpoint(long sourceId) {
        return Optional.ofNullable(endpoints.get(sourceId));
    }

    /** The binding of this worker's health-echo queue for the source's {@code ProbeRequest}s. */
    private Binding probeBinding(long sourceId) {
        return new Binding(
                healthEchoQueue,
                Binding.DestinationType.QUEUE,
                Topology.HEALTH_ECHO_EXCHANGE,
                Topology.matchingProbeRoutingKey(sourceId),
                null);
    }

    /**
     * Points the task listener at the queues of {@code next}. The container replaces its consumers on a change (the
     * direct container of quorum queues only those of the queues added or removed); a task in progress finishes (and
     * is acked) on its old consumer.
     */
    private void consume(Set<Long> next) {
        String[] queues = next.stream().map(Topology::taskQueue).toArray(String[]::new);
        if (queues.length == 0) {
            tasks.stop();
            return;
        }
        if (tasks instanceof DirectMessageListenerContainer direct && direct.isRunning()) {
            Set<String> now = Set.of(direct.getQueueNames());
            Set<String> wanted = Set.of(queues);
            String[] gone = now.stream().filter(q -> !wanted.contains(q)).toArray(String[]::new);
            String[] added = wanted.stream().filter(q -> !now.contains(q)).toArray(String[]::new);
            if (gone.length > 0) {
                direct.removeQueueNames(gone);
            }
            if (added.length > 0) {
                direct.addQueueNames(added);
            }
            return;
        }
        tasks.setQueueNames(queues);
        if (!tasks.isRunning()) {
            tasks.start();
        }
    }
}
