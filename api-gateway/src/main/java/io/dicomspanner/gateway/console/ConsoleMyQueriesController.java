package io.dicomspanner.gateway.console;

import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.querylog.QueryLogRecord;
import io.dicomspanner.gateway.querylog.QueryLogService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The queries that the signed-in key asked, newest first, as the query log holds them (a query is logged once it has
 * ended), {@code spanner.console.page-size} per page; and one of them opened: its per-PACS panel and its answer, as
 * the search page shows them. Only the key's own queries are listed, an admin key's too (the query log page lists
 * every key's). The listing shows no search value; its URLs hold a page number or a query id only.
 */
@Controller
class ConsoleMyQueriesController {

    /** One listed query. */
    record Listed(String queryId, String startedAt, String config, String level, String status, int matches) {}

    private final QueryLogService queryLog;
    private final ConsoleConfigs configs;
    private final ConsoleAnswers answers;
    private final ConsoleProperties properties;

    ConsoleMyQueriesController(
            QueryLogService queryLog, ConsoleConfigs configs, ConsoleAnswers answers, ConsoleProperties properties) {
        this.queryLog = queryLog;
        this.configs = configs;
        this.answers = answers;
        this.properties = properties;
    }

    @GetMapping("/ui/queries")
    String list(
            @RequestParam(name = "page", defaultValue = "0") int pageNumber, HttpServletRequest request, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        ConsoleController.page(request, model, user);
        Map<Long, String> configNames = new HashMap<>();
        configs.usableBy(user).forEach(c -> configNames.put(c.id(), c.name()));
        Page<QueryLogRecord> found =
                queryLog.askedBy(user.keyId(), PageRequest.of(Math.max(0, pageNumber), properties.pageSize()));
        model.addAttribute("found", found);
        model.addAttribute(
                "queries",
                found.getContent().stream()
                        .map(r -> new Listed(
                                r.id().toString(),
                                r.startedAt() == null ? "" : r.startedAt().toString(),
                                r.configId() == null
                                        ? ""
                                        : configNames.getOrDefault(r.configId(), "config " + r.configId()),
                                levelOf(r.queryLevel()),
                                statusOf(r.status()),
                                r.matchesAfterDedup()))
                        .toList());
        return "console/queries";
    }

    @GetMapping("/ui/queries/{id}")
    String open(@PathVariable String id, HttpServletRequest request, HttpServletResponse response, Model model) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        ConsoleController.page(request, model, user);
        if (answers.status(user, id).isEmpty()) {
            // an unknown, expired or foreign query, or no query id: the id is not echoed
            response.setStatus(404);
            model.addAttribute("queryId", null);
            return "console/my-query";
        }
        model.addAttribute("queryId", id);
        return "console/my-query";
    }

    /** The level as the search form names it (studies, series, instances). */
    static String levelOf(QueryLevel level) {
        if (level == null) {
            return "";
        }
        return level.qidoName() == null ? level.name().toLowerCase(Locale.ROOT) : level.qidoName();
    }

    /** The status as the console names it. */
    static String statusOf(QueryLogStatus status) {
        if (status == null) {
            return "running";
        }
        return switch (status) {
            case COMPLETED -> "complete";
            default -> status.name().toLowerCase(Locale.ROOT);
        };
    }
}
