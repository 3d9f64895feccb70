package io.dicomspanner.gateway.console;

import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.outbox.OutboxFullException;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.error.ServiceProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

/**
 * The search and the watched query (htmx fragments): a POSTed search starts a query and answers with its watch panel,
 * which polls the query's state until it ends and then loads the first page of its answer; rows drill down by
 * POSTing a search of the level below.
 */
@Controller
class ConsoleSearchController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ConsoleSearches searches;
    private final ConsoleAnswers answers;
    private final ConsoleAudit audit;
    private final ConsoleProperties properties;

    ConsoleSearchController(
            ConsoleSearches searches, ConsoleAnswers answers, ConsoleAudit audit, ConsoleProperties properties) {
        this.searches = searches;
        this.answers = answers;
        this.audit = audit;
        this.properties = properties;
    }

    @PostMapping("/ui/search")
    String search(
            @ModelAttribute SearchForm form, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        try {
            ConsoleSearches.Started started = searches.start(user, form, request.getRemoteAddr());
            model.addAttribute("queryId", started.queryId());
            model.addAttribute("configName", started.config().name());
            model.addAttribute("level", started.level());
            model.addAttribute("pollMillis", properties.statusPollInterval().toMillis());
            model.addAttribute("status", null);
            return "console/query :: query";
        } catch (InvalidRequestException e) {
            response.setStatus(400);
            model.addAttribute("problems", e.problems());
        } catch (ServiceProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("problems", List.of(new FieldProblem("form", e.getMessage())));
        } catch (OutboxFullException e) {
            response.setStatus(503);
            model.addAttribute(
                    "problems",
                    List.of(new FieldProblem("form", "The audit trail cannot record a search now; try again later.")));
        }
        return "console/query :: problems";
    }

    @GetMapping("/ui/queries/{id}/progress")
    String progress(@PathVariable String id, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        Optional<QueryStatus> status;
        try {
            status = answers.status(user, id);
        } catch (ServiceProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("problems", List.of(new FieldProblem("form", e.getMessage())));
            return "console/query :: problems";
        }
        if (status.isEmpty()) {
            response.setStatus(404);
            model.addAttribute("problems", List.of(new FieldProblem("form", "No such query (or it has expired).")));
            return "console/query :: problems";
        }
        model.addAttribute("queryId", id);
        model.addAttribute("pollMillis", properties.statusPollInterval().toMillis());
        model.addAttribute("status", answers.view(status.get()));
        return "console/query :: progress";
    }

    @GetMapping("/ui/queries/{id}/results")
    String results(
            @PathVariable String id,
            @RequestParam(name = "offset", defaultValue = "0") int offset,
            @RequestParam(name = "sort", required = false) String sort,
            @RequestParam(name = "dir", required = false) String direction,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        Optional<ConsoleAnswers.Page> page;
        try {
            page = answers.page(user, id, Math.max(0, offset), RowOrder.of(sort, direction));
        } catch (ServiceProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("problems", List.of(new FieldProblem("form", e.getMessage())));
            return "console/query :: problems";
        }
        if (page.isEmpty()) {
            response.setStatus(404);
            model.addAttribute(
                    "problems", List.of(new FieldProblem("form", "This answer is not (or no longer) available.")));
            return "console/query :: problems";
        }
        audit.read(user, request.getRemoteAddr(), id, offset);
        QueryStatus status = answers.status(user, id).orElseThrow();
        model.addAttribute("page", page.get());
        model.addAttribute("drill", drillDowns(page.get(), status.configId()));
        return "console/results :: results";
    }

    /** Per row, the hx-vals of its drill-down search (JSON), or none at the instance level. */
    private static List<String> drillDowns(ConsoleAnswers.Page page, long configId) {
        return page.rows().stream()
                .map(row -> {
                    Map<String, String> vals = new LinkedHashMap<>();
                    vals.put("configId", Long.toString(configId));
                    switch (page.level()) {
                        case "studies" -> {
                            vals.put("level", "series");
                            vals.put("study", row.studyUid());
                        }
                        case "series" -> {
                            vals.put("level", "instances");
                            vals.put("study", row.studyUid());
                            vals.put("series", row.seriesUid());
                        }
                        default -> {
                            return "";
                        }
                    }
                    return JSON.writeValueAsString(vals);
                })
                .toList();
    }
}
