package io.dicomspanner.gateway.console;

import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.gateway.config.SourceMappingRequest;
import io.dicomspanner.gateway.config.SourceMappingResponse;
import io.dicomspanner.gateway.config.SourceMappingService;
import io.dicomspanner.gateway.config.SpannerConfigRequest;
import io.dicomspanner.gateway.config.SpannerConfigResponse;
import io.dicomspanner.gateway.config.SpannerConfigService;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.source.DicomSourceResponse;
import io.dicomspanner.gateway.source.DicomSourceService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Administration of spanning configs, for admin keys: the configs, and per config its failure strategy and the
 * sources it asks (add, remove, priority, timeout override). Every change goes through the admin API's services, with
 * their checks, versioning and audit; a refused change shows the page again with each problem beside its field.
 */
@Controller
class ConsoleConfigsAdminController {

    /** Configs, mappings and sources shown on one page (the admin API pages through more). */
    static final int MAX_ROWS = 500;

    /** What a mapping row shows: the mapping and the source it names. */
    record MappingRow(SourceMappingResponse mapping, String sourceName, String aeTitle) {}

    private final SpannerConfigService configs;
    private final SourceMappingService mappings;
    private final DicomSourceService sources;
    private final ConsoleAdminForms forms;

    ConsoleConfigsAdminController(
            SpannerConfigService configs,
            SourceMappingService mappings,
            DicomSourceService sources,
            ConsoleAdminForms forms) {
        this.configs = configs;
        this.mappings = mappings;
        this.sources = sources;
        this.forms = forms;
    }

    @GetMapping("/ui/admin/configs")
    String list(HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        ConsoleController.page(request, model, admin.get());
        model.addAttribute("configs", configs.list(PageRequest.of(0, MAX_ROWS, Sort.by("name", "id"))));
        return "console/admin-configs";
    }

    @GetMapping("/ui/admin/configs/{id}")
    String config(
            @PathVariable long id,
            @RequestParam(name = "done", required = false) String done,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        model.addAttribute("done", done == null ? null : DONE.get(done));
        return page(request, model, admin.get(), id, Map.of(), Map.of());
    }

    @PostMapping("/ui/admin/configs/{id}/failure-strategy")
    String failureStrategy(
            @PathVariable long id,
            @RequestParam(name = "failureStrategy", required = false) String failureStrategy,
            @RequestParam(name = "minimumSuccessThreshold", required = false) String threshold,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        Integer minimum = ConsoleAdminForms.number("minimumSuccessThreshold", threshold, problems);
        SpannerConfigResponse current = configs.get(id);
        SpannerConfigRequest changed = withFailureStrategy(current, failureStrategy, minimum);
        Map<String, String> typed = Map.of(
                "failure.failureStrategy",
                nonNull(failureStrategy),
                "failure.minimumSuccessThreshold",
                nonNull(threshold));
        return change(
                id, "failure", problems, changed, typed, request, response, model, admin.get(), "strategy", () -> {
                    configs.replace(id, changed, ConsoleAdminForms.actor(admin.get(), request));
                });
    }

    @PostMapping("/ui/admin/configs/{id}/mappings")
    String addSource(
            @PathVariable long id,
            @RequestParam(name = "sourceId", required = false) String sourceId,
            @RequestParam(name = "priority", required = false) String priority,
            @RequestParam(name = "timeoutOverride", required = false) String timeoutOverride,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        Integer source = ConsoleAdminForms.number("sourceId", sourceId, problems);
        SourceMappingRequest mapping = new SourceMappingRequest(
                null,
                source == null ? null : source.longValue(),
                ConsoleAdminForms.number("priority", priority, problems),
                ConsoleAdminForms.number("timeoutOverride", timeoutOverride, problems),
                null,
                null);
        Map<String, String> typed = Map.of(
                "add.sourceId", nonNull(sourceId),
                "add.priority", nonNull(priority),
                "add.timeoutOverride", nonNull(timeoutOverride));
        return change(id, "add", problems, mapping, typed, request, response, model, admin.get(), "added", () -> {
            mappings.create(id, mapping, ConsoleAdminForms.actor(admin.get(), request));
        });
    }

    @PostMapping("/ui/admin/configs/{id}/mappings/{mappingId}")
    String changeSource(
            @PathVariable long id,
            @PathVariable long mappingId,
            @RequestParam(name = "priority", required = false) String priority,
            @RequestParam(name = "timeoutOverride", required = false) String timeoutOverride,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        SourceMappingResponse current = mappings.get(id, mappingId);
        SourceMappingRequest mapping = new SourceMappingRequest(
                current.sourceType().wire(),
                current.sourceId(),
                ConsoleAdminForms.number("priority", priority, problems),
                ConsoleAdminForms.number("timeoutOverride", timeoutOverride, problems),
                current.enabled(),
                current.additionalQueryFilters());
        String form = "mapping-" + mappingId;
        Map<String, String> typed =
                Map.of(form + ".priority", nonNull(priority), form + ".timeoutOverride", nonNull(timeoutOverride));
        return change(id, form, problems, mapping, typed, request, response, model, admin.get(), "saved", () -> {
            mappings.replace(id, mappingId, mapping, ConsoleAdminForms.actor(admin.get(), request));
        });
    }

    @PostMapping("/ui/admin/configs/{id}/mappings/{mappingId}/remove")
    String removeSource(
            @PathVariable long id,
            @PathVariable long mappingId,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return forbidden(response);
        }
        mappings.delete(id, mappingId, ConsoleAdminForms.actor(admin.get(), request));
        return "redirect:/ui/admin/configs/" + id + "?done=removed";
    }

    private static final Map<String, String> DONE = Map.of(
            "strategy", "The failure strategy is saved.",
            "added", "The source is added.",
            "saved", "The source's priority and timeout are saved.",
            "removed", "The source is removed from this config.");

    /**
     * Checks and makes a change of the config or its mappings ({@code apiRequest}, as the admin API takes it); on
     * success back to the config page, else the page with the problems under {@code form}.
     */
    private String change(
            long id,
            String form,
            Map<String, String> problems,
            Object apiRequest,
            Map<String, String> typed,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model,
            ConsoleUser admin,
            String done,
            Runnable apply) {
        problems.putAll(forms.violations(apiRequest));
        if (problems.isEmpty()) {
            try {
                apply.run();
                return "redirect:/ui/admin/configs/" + id + "?done=" + done;
            } catch (InvalidRequestException e) {
                problems.putAll(ConsoleAdminForms.problems(e));
            } catch (ConflictException e) {
                problems.put(ConsoleAdminForms.FORM, e.getMessage());
            }
        }
        response.setStatus(400);
        return page(request, model, admin, id, prefixed(form, problems), typed);
    }

    private String page(
            HttpServletRequest request,
            Model model,
            ConsoleUser admin,
            long id,
            Map<String, String> problems,
            Map<String, String> typed) {
        ConsoleController.page(request, model, admin);
        SpannerConfigResponse config = configs.get(id);
        List<DicomSourceResponse> all = sources.list(null, null, PageRequest.of(0, MAX_ROWS, Sort.by("name", "id")))
                .getContent();
        Map<Long, DicomSourceResponse> byId =
                all.stream().collect(Collectors.toMap(DicomSourceResponse::id, Function.identity()));
        List<MappingRow> rows = mappings.list(id, PageRequest.of(0, MAX_ROWS, Sort.by("priority", "id")))
                .map(m -> {
                    DicomSourceResponse source = byId.get(m.sourceId());
                    return new MappingRow(
                            m,
                            source == null ? "source " + m.sourceId() : source.name(),
                            source == null ? "" : source.aeTitle());
                })
                .getContent();
        Set<Long> mapped = rows.stream().map(r -> r.mapping().sourceId()).collect(Collectors.toSet());
        model.addAttribute("config", config);
        model.addAttribute("mappings", rows);
        model.addAttribute(
                "unmapped", all.stream().filter(s -> !mapped.contains(s.id())).toList());
        model.addAttribute(
                "strategies",
                Arrays.stream(FailureStrategy.values())
                        .map(FailureStrategy::wire)
                        .toList());
        model.addAttribute("problems", problems);
        model.addAttribute("typed", new HashMap<>(typed));
        return "console/admin-config";
    }

    private static SpannerConfigRequest withFailureStrategy(
            SpannerConfigResponse c, String failureStrategy, Integer minimumSuccessThreshold) {
        return new SpannerConfigRequest(
                c.name(),
                c.description(),
                c.enabled(),
                c.maxConcurrentSources(),
                c.timeoutSeconds(),
                c.retryAttempts(),
                failureStrategy == null || failureStrategy.isBlank() ? null : failureStrategy.strip(),
                minimumSuccessThreshold,
                c.deduplicationEnabled(),
                c.deduplicationStrategy().wire(),
                c.cacheTtlSeconds(),
                c.scpAeTitle(),
                c.allowedCallingAeTitles(),
                c.enterpriseMode(),
                c.includeLocations(),
                c.includeTags());
    }

    /** Problems keyed {@code form.field}, so that a page of several forms shows each beside the right one. */
    private static Map<String, String> prefixed(String form, Map<String, String> problems) {
        Map<String, String> keyed = new LinkedHashMap<>();
        problems.forEach((field, message) -> keyed.put(form + "." + field, message));
        return keyed;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static String forbidden(HttpServletResponse response) {
        response.setStatus(403);
        return "console/forbidden";
    }
}
