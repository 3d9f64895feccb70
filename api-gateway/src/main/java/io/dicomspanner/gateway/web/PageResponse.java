package io.dicomspanner.gateway.web;

import java.util.List;
import java.util.function.Function;
import org.springframework.data.domain.Page;

/**
 * One page of a list endpoint's answer.
 *
 * @param items the items of this page
 * @param page this page's number, from 0
 * @param size the page size asked for
 * @param totalItems how many items all pages hold together
 * @param totalPages how many pages there are at this size
 */
public record PageResponse<T>(List<T> items, int page, int size, long totalItems, int totalPages) {

    public static <E, T> PageResponse<T> of(Page<E> page, Function<E, T> toItem) {
        return new PageResponse<>(
                page.getContent().stream().map(toItem).toList(),
                page.getNumber(),
                page.getSize(),
                page.getTotalElements(),
                page.getTotalPages());
    }
}
