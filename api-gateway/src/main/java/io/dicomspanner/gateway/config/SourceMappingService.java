package io.dicomspanner.gateway.config;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import io.dicomspanner.gateway.source.DicomSource;
import io.dicomspanner.gateway.source.DicomSourceRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Which sources a config asks. Every change of a mapping is a change of its config: the config is locked, gets a
 * new version, and the change is audited (with PHI filter values as tokens).
 */
@Service
public class SourceMappingService {

    static final String WHAT = "source mapping";
    private static final Logger log = LoggerFactory.getLogger(SourceMappingService.class);

    private final SourceMappingRepository mappings;
    private final SpannerConfigRepository configs;
    private final DicomSourceRepository sources;
    private final AuditTrail auditTrail;
    private final PhiTokenizer phiTokenizer;
    private final Clock clock;

    public SourceMappingService(
            SourceMappingRepository mappings,
            SpannerConfigRepository configs,
            DicomSourceRepository sources,
            AuditTrail auditTrail,
            PhiTokenizer phiTokenizer,
            Clock clock) {
        this.mappings = mappings;
        this.configs = configs;
        this.sources = sources;
        this.auditTrail = auditTrail;
        this.phiTokenizer = phiTokenizer;
        this.clock = clock;
    }

    @Transactional
    public SourceMappingResponse create(long configId, SourceMappingRequest request, Actor actor) {
        SpannerConfig config = lockConfig(configId);
        SourceMappingSettings settings = checkSource(request.withDefaults());
        if (mappings.existsByConfigIdAndSourceTypeAndSourceId(configId, settings.sourceType(), settings.sourceId())) {
            throw new ConflictException(alreadyMapped(configId, settings));
        }
        Instant now = clock.instant();
        SourceMapping mapping = new SourceMapping(configId, now);
        mapping.apply(settings, now);
        mappings.save(mapping);
        config.edited(now);
        SourceMappingResponse created = SourceMappingResponse.of(mapping);
        auditTrail.record(
                actor, AuditedEntity.SOURCE_MAPPING, mapping.getId(), AuditAction.CREATED, null, auditable(created));
        log.info(
                "Source mapping {} ({} {} into config {}) created by {}; config now version {}",
                mapping.getId(),
                settings.sourceType().wire(),
                settings.sourceId(),
                configId,
                actor.name(),
                config.getVersion());
        return created;
    }

    @Transactional(readOnly = true)
    public Page<SourceMappingResponse> list(long configId, Pageable pageable) {
        if (!configs.existsById(configId)) {
            throw new NotFoundException(SpannerConfigService.WHAT, configId);
        }
        return mappings.findByConfigId(configId, pageable).map(SourceMappingResponse::of);
    }

    @Transactional(readOnly = true)
    public SourceMappingResponse get(long configId, long mappingId) {
        if (!configs.existsById(configId)) {
            throw new NotFoundException(SpannerConfigService.WHAT, configId);
        }
        return SourceMappingResponse.of(find(configId, mappingId));
    }

    @Transactional
    public SourceMappingResponse replace(long configId, long mappingId, SourceMappingRequest request, Actor actor) {
        SpannerConfig config = lockConfig(configId);
        SourceMapping mapping = find(configId, mappingId);
        SourceMappingSettings settings = checkSource(request.withDefaults());
        if (mappings.existsByConfigIdAndSourceTypeAndSourceIdAndIdNot(
                configId, settings.sourceType(), settings.sourceId(), mappingId)) {
            throw new ConflictException(alreadyMapped(configId, settings));
        }
        SourceMappingResponse before = SourceMappingResponse.of(mapping);
        Instant now = clock.instant();
        mapping.apply(settings, now);
        config.edited(now);
        SourceMappingResponse after = SourceMappingResponse.of(mapping);
        auditTrail.record(
                actor,
                AuditedEntity.SOURCE_MAPPING,
                mappingId,
                AuditAction.UPDATED,
                auditable(before),
                auditable(after));
        log.info(
                "Source mapping {} of config {} replaced by {}; config now version {}",
                mappingId,
                configId,
                actor.name(),
                config.getVersion());
        return after;
    }

    @Transactional
    public void delete(long configId, long mappingId, Actor actor) {
        SpannerConfig config = lockConfig(configId);
        SourceMapping mapping = find(configId, mappingId);
        remove(mapping, actor);
        config.edited(clock.instant());
        log.info(
                "Source mapping {} of config {} deleted by {}; config now version {}",
                mappingId,
                configId,
                actor.name(),
                config.getVersion());
    }

    /** The mappings that point at a DICOM source, in id order. */
    @Transactional(readOnly = true)
    public List<SourceMappingResponse> mappingsOfSource(long sourceId) {
        return mappings.findBySourceTypeAndSourceIdOrderById(typeOf(sourceId), sourceId).stream()
                .map(SourceMappingResponse::of)
                .toList();
    }

    /** Removes every mapping of a DICOM source (its configs get new versions); returns how many there were. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int removeAllOfSource(long sourceId, Actor actor) {
        List<SourceMapping> found = mappings.findBySourceTypeAndSourceIdOrderById(typeOf(sourceId), sourceId);
        Instant now = clock.instant();
        for (SourceMapping mapping : found) {
            SpannerConfig config = lockConfig(mapping.getConfigId());
            remove(mapping, actor);
            config.edited(now);
        }
        return found.size();
    }

    /** A DICOM source changed: every config that maps it gets a new version. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void sourceEdited(long sourceId) {
        configs.markEditedForSource(typeOf(sourceId), sourceId, clock.instant());
    }

    /**
     * A DICOM source of these locations or with these tags was added, changed or removed (pass its labels before and
     * after): every config that selects it by location or tag gets a new version. A config that also maps it may get
     * two; only the change matters to the caches keyed on it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void selectedSourceChanged(Collection<String> locations, Collection<String> tags) {
        if (locations.isEmpty() && tags.isEmpty()) {
            return;
        }
        configs.markEditedForSelection(locations.toArray(String[]::new), tags.toArray(String[]::new), clock.instant());
    }

    /** Removes every mapping of a config that is being deleted; returns how many there were. */
    @Transactional(propagation = Propagation.MANDATORY)
    int removeAllOfConfig(long configId, Actor actor) {
        List<SourceMapping> found = mappings.findByConfigIdOrderById(configId);
        found.forEach(mapping -> remove(mapping, actor));
        return found.size();
    }

    private void remove(SourceMapping mapping, Actor actor) {
        auditTrail.record(
                actor,
                AuditedEntity.SOURCE_MAPPING,
                mapping.getId(),
                AuditAction.DELETED,
                auditable(SourceMappingResponse.of(mapping)),
                null);
        mappings.delete(mapping);
    }

    private SpannerConfig lockConfig(long configId) {
        return configs.findForUpdate(configId)
                .orElseThrow(() -> new NotFoundException(SpannerConfigService.WHAT, configId));
    }

    private SourceMapping find(long configId, long mappingId) {
        return mappings.findByIdAndConfigId(mappingId, configId)
                .orElseThrow(() -> new NotFoundException(WHAT + " in spanner config " + configId, mappingId));
    }

    /**
     * The settings with the source's own type where none was given; a type that is not the source's (a DIMSE source
     * mapped as {@code dicomweb}, or the other way round) is refused.
     */
    private SourceMappingSettings checkSource(SourceMappingSettings settings) {
        DicomSource source = sources.findById(settings.sourceId())
                .orElseThrow(() ->
                        new InvalidRequestException("source_id", "no DICOM source has id " + settings.sourceId()));
        SourceType type = SourceType.of(source);
        if (settings.sourceType() != null && settings.sourceType() != type) {
            throw new InvalidRequestException(
                    "source_type",
                    "source " + source.getId() + " is of protocol "
                            + source.getProtocol().wire() + ": map it with source_type " + type.wire() + ", not "
                            + settings.sourceType().wire());
        }
        return settings.ofType(type);
    }

    /** The type the mappings of a source have: that of its protocol (MODALITY for a source that no longer exists). */
    private SourceType typeOf(long sourceId) {
        return sources.findById(sourceId).map(SourceType::of).orElse(SourceType.MODALITY);
    }

    private SourceMappingResponse auditable(SourceMappingResponse mapping) {
        return mapping.withFilters(phiTokenizer.tokenizeFilters(mapping.additionalQueryFilters()));
    }

    private static String alreadyMapped(long configId, SourceMappingSettings settings) {
        return "Source " + settings.sourceId() + " (" + settings.sourceType().wire() + ") is already mapped into"
                + " spanner config " + configId;
    }
}
