package io.dicomspanner.gateway.source;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.ProbeRequest;
import io.dicomspanner.common.messaging.ProbeStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceEndpointRows;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.span.ConfirmedPublisher;
import io.dicomspanner.gateway.span.QueryStore;
import io.dicomspanner.gateway.span.SpanProperties;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;

/**
 * What each source matches on, as far as the spanner knows: the keys the worker verifies (declared, then observed to
 * need it, as {@link SourceEndpointRows} gives them to every service), the observations behind them
 * ({@link KeyObservationRows}) and the newest capability probe (Redis, {@link RedisKeys#matchingProbe}); and the two
 * things an operator does about it: ask a worker of the source for a probe, and forget an observation.
 */
@Service
public class SourceMatchingService {

    private static final Logger log = LoggerFactory.getLogger(SourceMatchingService.class);

    private final JdbcClient jdbc;
    private final KeyObservationRows observations;
    private final QueryStore store;
    private final ConfirmedPublisher publisher;
    private final SpanProperties properties;
    private final AuditTrail auditTrail;
    private final Clock clock;
    private final MessageCodec codec = MessageCodec.instance();

    SourceMatchingService(
            JdbcClient jdbc,
            KeyObservationRows observations,
            QueryStore store,
            ConfirmedPublisher publisher,
            SpanProperties properties,
            AuditTrail auditTrail,
            Clock clock) {
        this.jdbc = jdbc;
        this.observations = observations;
        this.store = store;
        this.publisher = publisher;
        this.properties = properties;
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    /** The matching of one source, with its id and name; 404 for an unknown source. */
    @Transactional(readOnly = true)
    public SourceMatchingResponse matching(long sourceId) {
        SourceEndpoint source = endpoint(sourceId);
        return SourceMatchingResponse.of(
                sourceId, source.name(), matchingOf(List.of(source)).get(sourceId));
    }

    /**
     * The matching of each existing source of {@code sourceIds}, by id: one query for their keys, one for their
     * observations and one Redis round trip for their probes, however many they are.
     */
    @Transactional(readOnly = true)
    public Map<Long, SourceMatching> of(Collection<Long> sourceIds) {
        if (sourceIds.isEmpty()) {
            return Map.of();
        }
        return matchingOf(jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s where s.id = any(?)")
                .param(sourceIds.toArray(Long[]::new))
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .list());
    }

    private Map<Long, SourceMatching> matchingOf(List<SourceEndpoint> sources) {
        Map<Long, List<KeyObservationResponse>> observed = new HashMap<>();
        for (KeyObservation observation : observations.ofSources(
                sources.stream().map(SourceEndpoint::sourceId).toList())) {
            observed.computeIfAbsent(observation.sourceId(), id -> new ArrayList<>())
                    .add(KeyObservationResponse.of(observation));
        }
        List<String> probes = store.readIfReachable(sources.stream()
                .map(source -> RedisKeys.matchingProbe(source.sourceId()))
                .toList());
        Map<Long, SourceMatching> matching = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            long id = sources.get(i).sourceId();
            matching.put(
                    id,
                    new SourceMatching(
                            sources.get(i).unmatchedKeys(),
                            observed.getOrDefault(id, List.of()),
                            probe(id, probes.get(i))));
        }
        return matching;
    }

    private ProbeStatus probe(long sourceId, String recorded) {
        if (recorded == null) {
            return null;
        }
        try {
            return codec.read(recorded, ProbeStatus.class);
        } catch (JacksonException e) {
            log.warn("Probe entry of source {} is not a probe status, shown as none: {}", sourceId, e.getMessage());
            return null;
        }
    }

    /**
     * Hands a capability probe of {@code keywords} (none: the probe's default keys) to the workers of the source,
     * one of which runs it; audited. 404 for an unknown source; 503 when no worker serves it or the broker refuses.
     */
    @Transactional
    public MatchingProbeAccepted requestProbe(long sourceId, List<String> keywords, Actor actor) {
        SourceEndpoint source = endpoint(sourceId);
        if (source.usesDicomWeb()) {
            // the probe is a series of C-FINDs; a DICOMweb source declares what it ignores in unmatched_keys
            throw new ConflictException("Source " + sourceId + " is of protocol dicomweb: the capability probe asks"
                    + " C-FIND SCPs only; declare the keys it ignores in its unmatched_keys");
        }
        ProbeRequest probe = new ProbeRequest(
                UUID.randomUUID().toString(),
                source.sourceId(),
                keywords,
                actor.apiKeyId() != null ? "api-key:" + actor.apiKeyId() : actor.name(),
                clock.instant().toEpochMilli());
        publisher.publish(
                properties.healthEchoExchange(),
                Topology.matchingProbeRoutingKey(source.sourceId()),
                probe,
                probe.requestId(),
                null,
                "No worker serves source " + source.sourceId());
        Map<String, Object> requested = new LinkedHashMap<>();
        requested.put("request_id", probe.requestId());
        requested.put("keys", probe.keywords());
        auditTrail.record(
                actor, AuditedEntity.DICOM_SOURCE, sourceId, AuditAction.MATCHING_PROBE_REQUESTED, null, requested);
        log.info(
                "Matching probe {} of source {} ({} key(s)) requested by {}",
                probe.requestId(),
                sourceId,
                keywords.size(),
                actor.name());
        return new MatchingProbeAccepted(probe.requestId(), sourceId, matchingUrl(sourceId));
    }

    /**
     * Forgets what was observed of one key of the source; the configs mapping the source get new versions when that
     * changes the keys the worker verifies. Audited. 404 for an unknown source or a key with no observation.
     */
    @Transactional
    public void forget(long sourceId, String keyword, Actor actor) {
        endpoint(sourceId);
        String canonical = MatchingKeywords.canonical(keyword).orElse(keyword);
        KeyObservation observation = observations
                .of(sourceId, canonical)
                .orElseThrow(() ->
                        new NotFoundException("DICOM source " + sourceId + " has no observation of " + canonical));
        observations.forget(sourceId, canonical);
        auditTrail.record(
                actor,
                AuditedEntity.DICOM_SOURCE,
                sourceId,
                AuditAction.MATCHING_OBSERVATION_FORGOTTEN,
                KeyObservationResponse.of(observation),
                null);
        log.info("Observation of {} of source {} forgotten by {}", canonical, sourceId, actor.name());
    }

    static String matchingUrl(long sourceId) {
        return "/api/v1/sources/" + sourceId + "/matching";
    }

    private SourceEndpoint endpoint(long sourceId) {
        return jdbc.sql("select " + SourceEndpointRows.COLUMNS + " from dicom_source s where s.id = ?")
                .param(sourceId)
                .query((rs, row) -> SourceEndpointRows.read(rs))
                .optional()
                .orElseThrow(() -> new NotFoundException(DicomSourceService.WHAT, sourceId));
    }
}
