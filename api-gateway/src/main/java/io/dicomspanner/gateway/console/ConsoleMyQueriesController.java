package io.dicomspanner.gateway.console;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.querylog.QueryLogStatus;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.querylog.QueryLogRecord;
import io.dicomspanner.gateway.querylog.QueryLogService;
import io.dicomspanner.gateway.span.QueryStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private final QueryStore store;
    private final ConsoleConfigs configs;
    private final ConsoleAnswers answers;
    private final ConsoleProperties properties;

    ConsoleMyQueriesController(
            QueryLogService queryLog,
            QueryStore store,
            ConsoleConfigs configs,
            ConsoleAnswers answers,
            ConsoleProperties properties) {
        this.queryLog = queryLog;
        this.store = store;
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
        List<Listed> running = found.getNumber() == 0 ? running(user, configNames) : List.of();
        model.addAttribute("running", running);
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

    /**
     * The key's console searches still running (they reach the query log once they end): from the key's list of
     * lately started searches in Redis, each read with its status; at most a page of them.
     */
    private List<Listed> running(ConsoleUser user, Map<Long, String> configNames) {
        List<Listed> running = new ArrayList<>();
        for (String id : store.consoleQueriesOf(user.keyId(), properties.pageSize())) {
            answers.status(user, id)
                    .filter(status -> status.state() == QueryState.RUNNING)
                    .ifPresent(status -> running.add(new Listed(
                            id,
                            Instant.ofEpochMilli(status.createdEpochMillis()).toString(),
                            configNames.getOrDefault(status.configId(), "config " + status.configId()),
                            levelOf(levelNamed(status.level())),
                            "running",
                            status.matchesAfterDeduplication())));
        }
        return running;
    }

    private static QueryLevel levelNamed(String level) {
        try {
            return level == null ? null : QueryLevel.valueOf(level.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
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
