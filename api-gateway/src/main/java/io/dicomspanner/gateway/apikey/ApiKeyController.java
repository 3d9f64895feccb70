package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.web.Created;
import io.dicomspanner.gateway.web.PageResponse;
import io.dicomspanner.gateway.web.Pagination;
import jakarta.validation.Valid;
import java.util.function.Function;
import org.springframework.data.domain.Sort;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/api-keys")
public class ApiKeyController {

    private final ApiKeyService service;
    private final Pagination pagination;

    public ApiKeyController(ApiKeyService service, Pagination pagination) {
        this.service = service;
        this.pagination = pagination;
    }

    /** The answer's {@code key} is the only copy of the key there will ever be. */
    @PostMapping
    public ResponseEntity<CreatedApiKeyResponse> create(@Valid @RequestBody ApiKeyRequest body, Actor actor) {
        CreatedApiKeyResponse created = service.create(body, actor);
        return Created.at(created.id(), created);
    }

    @GetMapping
    public PageResponse<ApiKeyResponse> list(
            @RequestParam(required = false) Integer page, @RequestParam(required = false) Integer size) {
        return PageResponse.of(service.list(pagination.of(page, size, Sort.by("id"))), Function.identity());
    }

    @GetMapping("/{id}")
    public ApiKeyResponse get(@PathVariable long id) {
        return service.get(id);
    }

    /** Replaces what the key may see and how fast it may ask (all three fields; absent ones go back to defaults). */
    @PutMapping("/{id}/access")
    public ApiKeyResponse limit(@PathVariable long id, @Valid @RequestBody ApiKeyAccessRequest body, Actor actor) {
        return service.limit(id, body, actor);
    }

    /** Revokes the key (it stays listed, inactive); answers with the revoked key. */
    @DeleteMapping("/{id}")
    public ApiKeyResponse revoke(@PathVariable long id, Actor actor) {
        return service.revoke(id, actor);
    }
}
