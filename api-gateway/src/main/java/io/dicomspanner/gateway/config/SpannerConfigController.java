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
@RequestMapping("/api/v1/config/spanner")
public class SpannerConfigController {

    private final SpannerConfigService service;
    private final Pagination pagination;

    public SpannerConfigController(SpannerConfigService service, Pagination pagination) {
        this.service = service;
        this.pagination = pagination;
    }

    @PostMapping
    public ResponseEntity<SpannerConfigResponse> create(@Valid @RequestBody SpannerConfigRequest body, Actor actor) {
        SpannerConfigResponse created = service.create(body, actor);
        return Created.at(created.id(), created);
    }

    @GetMapping
    public PageResponse<SpannerConfigResponse> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return PageResponse.of(service.list(pagination.of(page, size, Sort.by("id"))), Function.identity());
    }

    @GetMapping("/{id}")
    public SpannerConfigResponse get(@PathVariable long id) {
        return service.get(id);
    }

    @PutMapping("/{id}")
    public SpannerConfigResponse replace(
            @PathVariable long id, @Valid @RequestBody SpannerConfigRequest body, Actor actor) {
        return service.replace(id, body, actor);
    }

    /** Deletes the config and its source mappings; the DICOM sources stay. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable long id, Actor actor) {
        service.delete(id, actor);
    }
}
