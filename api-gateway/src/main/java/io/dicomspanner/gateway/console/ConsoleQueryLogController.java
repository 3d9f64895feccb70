package io.dicomspanner.gateway.console;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.gateway.config.SpannerConfigService;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.querylog.QueryLogRecord;
import io.dicomspanner.gateway.querylog.QueryLogSearch;
import io.dicomspanner.gateway.querylog.QueryLogService;
import io.dicomspanner.gateway.web.Pagination;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The query log, for admin keys: searched by start date range (UTC days) and by Patient ID. The form is POSTed (a
 * Patient ID never goes into a URL) and searched through {@link QueryLogService}, which matches the Patient ID through
 * its token as the log stores it and as the query-log API does; the search is audited with the token only.
 */
@Controller
class ConsoleQueryLogController {

    private final QueryLogService queryLog;
    private final SpannerConfigService configs;
    private final Pagination pagination;
    private final ConsoleAdminForms forms;
    private final ConsoleAudit audit;
    private final PhiTokenizer phiTokenizer;

    ConsoleQueryLogController(
            QueryLogService queryLog,
            SpannerConfigService configs,
            Pagination pagination,
            ConsoleAdminForms forms,
            ConsoleAudit audit,
            PhiTokenizer phiTokenizer) {
        this.queryLog = queryLog;
        this.configs = configs;
        this.pagination = pagination;
        this.forms = forms;
        this.audit = audit;
        this.phiTokenizer = phiTokenizer;
    }

    @GetMapping("/ui/admin/query-log")
    String form(HttpServletRequest request, HttpServletResponse response, Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return ConsoleConfigsAdminController.forbidden(response);
        }
        return page(request, model, admin.get(), null, Map.of(), Map.of());
    }

    @PostMapping("/ui/admin/query-log")
    String search(
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "patientId", required = false) String patientId,
            @RequestParam(name = "page", defaultValue = "0") int pageNumber,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        Optional<ConsoleUser> admin = ConsoleAdminForms.admin(request);
        if (admin.isEmpty()) {
            return ConsoleConfigsAdminController.forbidden(response);
        }
        Map<String, String> problems = new LinkedHashMap<>();
        LocalDate fromDay = day("from", from, problems);
        LocalDate toDay = day("to", to, problems);
        QueryLogSearch search = new QueryLogSearch(
                patientId == null || patientId.isBlank() ? null : patientId.strip(),
                null,
                null,
                null,
                fromDay == null ? null : fromDay.atStartOfDay(ZoneOffset.UTC).toInstant(),
                // "to" is a whole day, the last one searched
                toDay == null
                        ? null
                        : toDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        problems.putAll(forms.violations(search));
        // typed values come back into the form; the Patient ID too, as the POST answer only
        Map<String, String> typed = new HashMap<>();
        typed.put("from", from == null ? "" : from);
        typed.put("to", to == null ? "" : to);
        typed.put("patientId", patientId == null ? "" : patientId);
        if (fromDay != null && toDay != null && toDay.isBefore(fromDay)) {
            problems.put("to", "must not be before from");
        }
        if (problems.isEmpty()) {
            try {
                Page<QueryLogRecord> found =
                        queryLog.search(search, pagination.of(Math.max(0, pageNumber), null, Sort.unsorted()));
                audit.queryLogSearched(
                        admin.get(),
                        request.getRemoteAddr(),
                        search.from(),
                        search.to(),
                        search.patientId() == null ? null : phiTokenizer.patientId(search.patientId()));
                return page(request, model, admin.get(), found, Map.of(), typed);
            } catch (InvalidRequestException e) {
                problems.putAll(ConsoleAdminForms.problems(e));
            }
        }
        response.setStatus(400);
        return page(request, model, admin.get(), null, problems, typed);
    }

    private String page(
            HttpServletRequest request,
            Model model,
            ConsoleUser admin,
            Page<QueryLogRecord> found,
            Map<String, String> problems,
            Map<String, String> typed) {
        ConsoleController.page(request, model, admin);
        Map<Long, String> configNames = new HashMap<>();
        configs.list(PageRequest.of(0, ConsoleConfigsAdminController.MAX_ROWS))
                .forEach(c -> configNames.put(c.id(), c.name()));
        model.addAttribute("found", found);
        model.addAttribute("configNames", configNames);
        model.addAttribute("problems", problems);
        model.addAttribute("typed", typed);
        return "console/admin-query-log";
    }

    /** A day typed as YYYY-MM-DD (what a date input sends); empty input is {@code null}. */
    private static LocalDate day(String field, String typed, Map<String, String> problems) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(typed.strip());
        } catch (DateTimeParseException e) {
            problems.put(field, "must be a date, YYYY-MM-DD");
            return null;
        }
    }
}
