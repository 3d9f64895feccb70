package io.dicomspanner.gateway.config;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.web.Created;
import io.dicomspanner.gateway.web.PageResponse;
import io.dicomspanner.gateway.web.Pagination;
import jakarta.validation.Valid;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/config/spanner/{configId}/sources")
public class SourceMappingController {

    private final SourceMappingService service;
    private final Pagination pagination;

    public SourceMappingController(SourceMappingService service, Pagination pagination) {
        this.service = service;
        this.pagination = pagination;
    }

    @PostMapping
    public ResponseEntity<SourceMappingResponse> create(
            @PathVariable long configId, @Valid @RequestBody SourceMappingRequest body, Actor actor) {
        SourceMappingResponse created = service.create(configId, body, actor);
        return Created.at(created.id(), created);
    }

    @GetMapping
    public PageResponse<SourceMappingResponse> list(
            @PathVariable long configId,
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size) {
        return PageResponse.of(
                service.list(configId, pagination.of(page, size, Sort.by("priority", "id"))), Function.identity());
    }

    @GetMapping("/{mappingId}")
    public SourceMappingResponse get(@PathVariable long configId, @PathVariable long mappingId) {
        return service.get(configId, mappingId);
    }

    @PutMapping("/{mappingId}")
    public SourceMappingResponse replace(
            @PathVariable long configId,
            @PathVariable long mappingId,
            @Valid @RequestBody SourceMappingRequest body,
            Actor actor) {
        return service.replace(configId, mappingId, body, actor);
    }

    @DeleteMapping("/{mappingId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable long configId, @PathVariable long mappingId, Actor actor) {
        service.delete(configId, mappingId, actor);
    }
}
