package io.dicomspanner.gateway.web;

import io.dicomspanner.gateway.error.InvalidRequestException;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Component;

/** Turns the {@code page} and {@code size} query parameters of a list endpoint into a checked page request. */
@Component
public class Pagination {

    private final PaginationProperties properties;

    public Pagination(PaginationProperties properties) {
        if (properties.defaultPageSize() > properties.maxPageSize()) {
            throw new IllegalArgumentException("spanner.api.default-page-size (" + properties.defaultPageSize()
                    + ") exceeds spanner.api.max-page-size (" + properties.maxPageSize() + ")");
        }
        this.properties = properties;
    }

    /** Page {@code page} (0-based, default 0) of {@code size} items (default from settings), in {@code sort} order. */
    public Pageable of(Integer page, Integer size, Sort sort) {
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        int pageNumber = page != null ? page : 0;
        int pageSize = size != null ? size : properties.defaultPageSize();
        if (pageNumber < 0) {
            problems.add("page", "must be 0 or greater");
        }
        if (pageSize < 1 || pageSize > properties.maxPageSize()) {
            problems.add("size", "must be between 1 and " + properties.maxPageSize());
        }
        problems.throwIfAny();
        return PageRequest.of(pageNumber, pageSize, sort);
    }
}
