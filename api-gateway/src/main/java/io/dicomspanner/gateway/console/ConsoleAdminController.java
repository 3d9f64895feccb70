package io.dicomspanner.gateway.console;

import io.dicomspanner.common.messaging.SourceHealth;
import io.dicomspanner.gateway.audit.AuditTrail;
import io.dicomspanner.gateway.health.SourceHealthService;
import io.dicomspanner.gateway.source.DicomSourceResponse;
import io.dicomspanner.gateway.source.DicomSourceService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Administration, for admin keys only: the health of every source (its workers' last C-ECHO) and the audit trail, as
 * the admin API shows them. The sources themselves: {@link ConsoleSourcesController}.
 */
@Controller
class ConsoleAdminController {

    private final DicomSourceService sources;
    private final SourceHealthService health;
    private final AuditTrail audit;
    private final ConsoleProperties properties;

    ConsoleAdminController(
            DicomSourceService sources, SourceHealthService health, AuditTrail audit, ConsoleProperties properties) {
        this.sources = sources;
        this.health = health;
        this.audit = audit;
        this.properties = properties;
    }

    /** One source's row of the health table: {@code health} null when no echo is recorded. */
    public record SourceHealthRow(DicomSourceResponse source, SourceHealth health) {}

    @GetMapping("/ui/admin/health")
    String health(HttpServletRequest request, HttpServletResponse response, Model model) {
        if (!ConsoleSourcesController.admin(request, response, model)) {
            return "console/forbidden";
        }
        List<SourceHealthRow> rows = sources.list(
                        null, null, PageRequest.of(0, ConsoleSourcesController.MAX_SOURCES, Sort.by("name")))
                .map(source ->
                        new SourceHealthRow(source, health.recorded(source.id()).orElse(null)))
                .getContent();
        model.addAttribute("rows", rows);
        return "console/health";
    }

    /** The audit trail, newest event first, {@code spanner.console.page-size} events a page. */
    @GetMapping("/ui/admin/audit")
    String audit(
            @RequestParam(defaultValue = "0") int page,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (!ConsoleSourcesController.admin(request, response, model)) {
            return "console/forbidden";
        }
        model.addAttribute(
                "events",
                audit.events(
                        null,
                        null,
                        PageRequest.of(Math.max(0, page), properties.pageSize(), Sort.by(Sort.Direction.DESC, "id"))));
        return "console/audit";
    }
}
