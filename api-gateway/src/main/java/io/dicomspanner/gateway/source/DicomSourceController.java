package io.dicomspanner.gateway.source;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.error.InvalidRequestException;
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
@RequestMapping("/api/v1/sources")
public class DicomSourceController {

    private final DicomSourceService service;
    private final Pagination pagination;

    public DicomSourceController(DicomSourceService service, Pagination pagination) {
        this.service = service;
        this.pagination = pagination;
    }

    @PostMapping
    public ResponseEntity<DicomSourceResponse> create(@Valid @RequestBody DicomSourceRequest body, Actor actor) {
        DicomSourceResponse created = service.create(body, actor);
        return Created.at(created.id(), created);
    }

    /** A page of sources by id; {@code location} and {@code tag} keep those of that location and with that tag. */
    @GetMapping
    public PageResponse<DicomSourceResponse> list(
            @RequestParam(required = false) Integer page,
            @RequestParam(required = false) Integer size,
            @RequestParam(required = false) String location,
            @RequestParam(required = false) String tag) {
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        checkLabel("location", location, problems);
        checkLabel("tag", tag, problems);
        problems.throwIfAny();
        return PageResponse.of(
                service.list(location, tag, pagination.of(page, size, Sort.by("id"))), Function.identity());
    }

    private static void checkLabel(String parameter, String value, InvalidRequestException.Collector problems) {
        if (value == null) {
            return;
        }
        if (value.length() > SourceLabels.MAX_LENGTH) {
            problems.add(parameter, "size must be between 0 and " + SourceLabels.MAX_LENGTH);
        } else if (!value.matches(SourceLabels.PATTERN)) {
            problems.add(parameter, SourceLabels.PATTERN_MESSAGE);
        }
    }

    @GetMapping("/{id}")
    public DicomSourceResponse get(@PathVariable long id) {
        return service.get(id);
    }

    @PutMapping("/{id}")
    public DicomSourceResponse replace(
            @PathVariable long id, @Valid @RequestBody DicomSourceRequest body, Actor actor) {
        return service.replace(id, body, actor);
    }

    /** 409 while spanner configs still map the source, unless {@code cascade=true} removes those mappings too. */
    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable long id, @RequestParam(defaultValue = "false") boolean cascade, Actor actor) {
        service.delete(id, cascade, actor);
    }
}
