package io.dicomspanner.gateway.querylog;

import io.dicomspanner.gateway.web.PageResponse;
import io.dicomspanner.gateway.web.Pagination;
import jakarta.validation.Valid;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/query-log")
public class QueryLogController {

    private final QueryLogService service;
    private final Pagination pagination;

    public QueryLogController(QueryLogService service, Pagination pagination) {
        this.service = service;
        this.pagination = pagination;
    }

    /** Searches the log, newest first; the body may name a real PatientID. */
    @PostMapping("/search")
    public PageResponse<QueryLogRecord> search(
            @Valid @RequestBody QueryLogSearch body,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return PageResponse.of(service.search(body, pagination.of(page, size, Sort.unsorted())), Function.identity());
    }

    @GetMapping("/{id}")
    public QueryLogRecord get(@PathVariable UUID id) {
        return service.get(id);
    }
}
