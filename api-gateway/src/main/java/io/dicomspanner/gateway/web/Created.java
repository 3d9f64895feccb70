package io.dicomspanner.gateway.web;

import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** The answer to a POST that created something: 201, its URL in {@code Location}, and its representation. */
public final class Created {

    private Created() {}

    public static <T> ResponseEntity<T> at(long id, T body) {
        return ResponseEntity.created(ServletUriComponentsBuilder.fromCurrentRequestUri()
                        .path("/{id}")
                        .buildAndExpand(id)
                        .toUri())
                .body(body);
    }
}
