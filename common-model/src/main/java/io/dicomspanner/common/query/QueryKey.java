package io.dicomspanner.common.query;

import java.util.Objects;

/**
 * One matching key of a spanning query: an attribute path and the value to match.
 *
 * <p>{@code path} is eight upper-case hex digits per level, dot-separated for keys inside a sequence item
 * ({@code "0020000D"}, {@code "00400275.00401001"}). {@code value} is the C-FIND form: backslash-separated for UID lists
 * and for any-of values, {@code *}/{@code ?} wildcards, {@code a-b} ranges; never null (empty = universal matching).
 */
public record QueryKey(String path, String value) implements Comparable<QueryKey> {
    public QueryKey {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(value, "value");
        if (!path.matches("[0-9A-F]{8}(\\.[0-9A-F]{8})*")) {
            throw new IllegalArgumentException("key path must be 8 upper-case hex digits per level: " + path);
        }
    }

    /**
     * The path and the value's length only: a value may be a patient's name, ID or birth date, and a record's
     * {@code toString} ends up in logs (Spring AMQP logs each message's payload at DEBUG).
     */
    @Override
    public String toString() {
        return "QueryKey[path=" + path + ", value=(" + value.length() + " characters)]";
    }

    @Override
    public int compareTo(QueryKey o) {
        int c = path.compareTo(o.path);
        return c != 0 ? c : value.compareTo(o.value);
    }
}
