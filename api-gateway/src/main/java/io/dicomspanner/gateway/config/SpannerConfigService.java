package io.dicomspanner.gateway.config;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.NotFoundException;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, reads, replaces and deletes spanner configs; every change is audited and gives a new version. */
@Service
public class SpannerConfigService {

    static final String WHAT = "spanner config";
    private static final Logger log = LoggerFactory.getLogger(SpannerConfigService.class);

    private final SpannerConfigRepository configs;
    private final SourceMappingService mappings;
    private final AuditTrail auditTrail;
    private final Clock clock;

    public SpannerConfigService(
            SpannerConfigRepository configs, SourceMappingService mappings, AuditTrail auditTrail, Clock clock) {
        this.configs = configs;
        this.mappings = mappings;
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    @Transactional
    public SpannerConfigResponse create(SpannerConfigRequest request, Actor actor) {
        SpannerConfigSettings settings = request.withDefaults();
        checkUnique(settings, null);
        SpannerConfig config = new SpannerConfig(clock.instant());
        config.apply(settings);
        configs.save(config);
        SpannerConfigResponse created = SpannerConfigResponse.of(config);
        auditTrail.record(actor, AuditedEntity.SPANNER_CONFIG, config.getId(), AuditAction.CREATED, null, created);
        log.info("Spanner config {} '{}' created by {}", config.getId(), config.getName(), actor.name());
        return created;
    }

    @Transactional(readOnly = true)
    public SpannerConfigResponse get(long id) {
        return SpannerConfigResponse.of(configs.findById(id).orElseThrow(() -> new NotFoundException(WHAT, id)));
    }

    @Transactional(readOnly = true)
    public Page<SpannerConfigResponse> list(Pageable pageable) {
        return configs.findAll(pageable).map(SpannerConfigResponse::of);
    }

    @Transactional
    public SpannerConfigResponse replace(long id, SpannerConfigRequest request, Actor actor) {
        SpannerConfigSettings settings = request.withDefaults();
        SpannerConfig config = configs.findForUpdate(id).orElseThrow(() -> new NotFoundException(WHAT, id));
        checkUnique(settings, id);
        SpannerConfigResponse before = SpannerConfigResponse.of(config);
        config.apply(settings);
        config.edited(clock.instant());
        SpannerConfigResponse after = SpannerConfigResponse.of(config);
        auditTrail.record(actor, AuditedEntity.SPANNER_CONFIG, id, AuditAction.UPDATED, before, after);
        log.info("Spanner config {} replaced by {}; now version {}", id, actor.name(), config.getVersion());
        return after;
    }

    /** Deletes the config with its source mappings (the sources themselves stay). */
    @Transactional
    public void delete(long id, Actor actor) {
        SpannerConfig config = configs.findForUpdate(id).orElseThrow(() -> new NotFoundException(WHAT, id));
        int removed = mappings.removeAllOfConfig(id, actor);
        auditTrail.record(
                actor, AuditedEntity.SPANNER_CONFIG, id, AuditAction.DELETED, SpannerConfigResponse.of(config), null);
        configs.delete(config);
        log.info("Spanner config {} deleted by {} with its {} source mapping(s)", id, actor.name(), removed);
    }

    private void checkUnique(SpannerConfigSettings settings, Long id) {
        boolean nameTaken = id == null
                ? configs.existsByNameIgnoreCase(settings.name())
                : configs.existsByNameIgnoreCaseAndIdNot(settings.name(), id);
        if (nameTaken) {
            throw new ConflictException("A spanner config named '" + settings.name() + "' exists already");
        }
        if (settings.scpAeTitle() != null) {
            boolean aeTaken = id == null
                    ? configs.existsByScpAeTitle(settings.scpAeTitle())
                    : configs.existsByScpAeTitleAndIdNot(settings.scpAeTitle(), id);
            if (aeTaken) {
                throw new ConflictException(
                        "Another spanner config answers under SCP AE title '" + settings.scpAeTitle() + "'");
            }
        }
    }
}
