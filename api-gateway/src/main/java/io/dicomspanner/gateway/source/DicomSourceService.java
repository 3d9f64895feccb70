package io.dicomspanner.gateway.source;

import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.audit.AuditAction;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.audit.AuditedEntity;
import io.dicomspanner.gateway.config.SourceMappingResponse;
import io.dicomspanner.gateway.config.SourceMappingService;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates, reads, replaces and deletes DICOM sources; every change is audited. */
@Service
public class DicomSourceService {

    static final String WHAT = "DICOM source";
    private static final Logger log = LoggerFactory.getLogger(DicomSourceService.class);

    private final DicomSourceRepository sources;
    private final SourceMappingService mappings;
    private final SourceMatchingService matching;
    private final AuditTrail auditTrail;
    private final Clock clock;
    private final Sealer sealer;

    public DicomSourceService(
            DicomSourceRepository sources,
            SourceMappingService mappings,
            SourceMatchingService matching,
            AuditTrail auditTrail,
            Clock clock,
            SealedCodec sealedCodec) {
        this.sealer = sealedCodec.sealer();
        this.sources = sources;
        this.mappings = mappings;
        this.matching = matching;
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    @Transactional
    public DicomSourceResponse create(DicomSourceRequest request, Actor actor) {
        DicomSourceSettings settings = request.withDefaults();
        if (sources.existsByNameIgnoreCase(settings.name())) {
            throw duplicateName(settings);
        }
        Instant now = clock.instant();
        DicomSource source = new DicomSource(now);
        source.apply(settings, sealedSecret(settings), now);
        sources.saveAndFlush(source);
        mappings.selectedSourceChanged(labels(source.getLocation()), source.getTags());
        DicomSourceResponse created = DicomSourceResponse.of(source);
        auditTrail.record(actor, AuditedEntity.DICOM_SOURCE, source.getId(), AuditAction.CREATED, null, created);
        log.info("DICOM source {} '{}' created by {}", source.getId(), source.getName(), actor.name());
        return withMatching(source);
    }

    @Transactional(readOnly = true)
    public DicomSourceResponse get(long id) {
        return withMatching(find(id));
    }

    /**
     * A page of sources with their matching: three round trips for the page, not three per source. A non-null
     * {@code location} keeps the sources of that location, a non-null {@code tag} those carrying that tag.
     */
    @Transactional(readOnly = true)
    public Page<DicomSourceResponse> list(String location, String tag, Pageable pageable) {
        Page<DicomSource> page = location == null && tag == null
                ? sources.findAll(pageable)
                : sources.findByLocationAndTag(location, tag, pageable);
        Map<Long, SourceMatching> matchingById =
                matching.of(page.getContent().stream().map(DicomSource::getId).toList());
        return page.map(source -> DicomSourceResponse.of(source, matchingById.get(source.getId())));
    }

    /** Replaces the source's settings; every config that maps it gets a new version. */
    @Transactional
    public DicomSourceResponse replace(long id, DicomSourceRequest request, Actor actor) {
        DicomSourceSettings settings = request.withDefaults();
        DicomSource source = find(id);
        if (sources.existsByNameIgnoreCaseAndIdNot(settings.name(), id)) {
            throw duplicateName(settings);
        }
        if (settings.protocol() != source.getProtocol()
                && !mappings.mappingsOfSource(id).isEmpty()) {
            throw new InvalidRequestException(
                    "protocol",
                    "cannot change from " + source.getProtocol().wire() + " while spanner configs map the source;"
                            + " remove its mappings first");
        }
        DicomSourceResponse before = DicomSourceResponse.of(source);
        Set<String> locations = new LinkedHashSet<>(labels(source.getLocation()));
        Set<String> tags = new LinkedHashSet<>(source.getTags());
        source.apply(settings, sealedSecret(settings), clock.instant());
        sources.flush();
        mappings.sourceEdited(id);
        locations.addAll(labels(source.getLocation()));
        tags.addAll(source.getTags());
        mappings.selectedSourceChanged(locations, tags);
        DicomSourceResponse after = DicomSourceResponse.of(source);
        auditTrail.record(actor, AuditedEntity.DICOM_SOURCE, id, AuditAction.UPDATED, before, after);
        log.info("DICOM source {} replaced by {}", id, actor.name());
        return withMatching(source);
    }

    /**
     * Deletes the source. A source that configs still ask is only deleted with {@code cascade}, which removes those
     * mappings too (and gives their configs new versions).
     */
    @Transactional
    public void delete(long id, boolean cascade, Actor actor) {
        DicomSource source = find(id);
        List<SourceMappingResponse> mapped = mappings.mappingsOfSource(id);
        if (!mapped.isEmpty() && !cascade) {
            throw new ConflictException("DICOM source " + id + " is still mapped into spanner config(s) "
                    + mapped.stream()
                            .map(m -> String.valueOf(m.configId()))
                            .distinct()
                            .toList()
                    + "; remove the mappings first or delete with ?cascade=true");
        }
        int removed = mappings.removeAllOfSource(id, actor);
        mappings.selectedSourceChanged(labels(source.getLocation()), source.getTags());
        auditTrail.record(
                actor, AuditedEntity.DICOM_SOURCE, id, AuditAction.DELETED, DicomSourceResponse.of(source), null);
        sources.delete(source);
        log.info("DICOM source {} deleted by {} with {} mapping(s)", id, actor.name(), removed);
    }

    /** The source as the API shows it, with its matching (read from the rows: flush the source first). */
    private DicomSourceResponse withMatching(DicomSource source) {
        return DicomSourceResponse.of(
                source, matching.of(List.of(source.getId())).get(source.getId()));
    }

    /** The DICOMweb password or inline token, sealed for storage; null when there is none. */
    private byte[] sealedSecret(DicomSourceSettings settings) {
        String secret = settings.dicomweb() == null ? null : settings.dicomweb().secret();
        return secret == null ? null : sealer.seal(secret.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> labels(String location) {
        return location == null ? List.of() : List.of(location);
    }

    private DicomSource find(long id) {
        return sources.findById(id).orElseThrow(() -> new NotFoundException(WHAT, id));
    }

    private static ConflictException duplicateName(DicomSourceSettings settings) {
        return new ConflictException("A DICOM source named '" + settings.name() + "' exists already");
    }
}
