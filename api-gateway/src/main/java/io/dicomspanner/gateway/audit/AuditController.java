package io.dicomspanner.gateway.audit;

import io.dicomspanner.gateway.validation.OneOf;
import io.dicomspanner.gateway.web.PageResponse;
import io.dicomspanner.gateway.web.Pagination;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads the audit trail, newest event first. */
@RestController
@RequestMapping("/api/v1/audit-events")
public class AuditController {

    private final AuditTrail auditTrail;
    private final Pagination pagination;

    public AuditController(AuditTrail auditTrail, Pagination pagination) {
        this.auditTrail = auditTrail;
        this.pagination = pagination;
    }

    @GetMapping
    public PageResponse<AuditEventResponse> list(
            @RequestParam(name = "entity_type", required = false) @OneOf(AuditedEntity.class) String entityType,
            @RequestParam(name = "entity_id", required = false) Long entityId,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        var pageable = pagination.of(page, size, Sort.by(Sort.Direction.DESC, "id"));
        return PageResponse.of(auditTrail.events(entityType, entityId, pageable), Function.identity());
    }
}
