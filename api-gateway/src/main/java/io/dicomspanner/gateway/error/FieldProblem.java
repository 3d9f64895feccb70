package io.dicomspanner.gateway.error;

/** One bad field of a request: its JSON name (or query parameter) and what is wrong with it. */
public record FieldProblem(String field, String message) {}
