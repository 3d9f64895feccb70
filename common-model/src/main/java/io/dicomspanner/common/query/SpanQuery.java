package io.dicomspanner.common.query;

import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The canonical spanning query: what every entry point parses its request into and what the coordinator fans out.
 *
 * <p>Keys and return keys are kept sorted and free of duplicates, so two requests that mean the same produce equal
 * objects and the same {@link #canonicalHash()} — the basis of the result cache and of in-flight coalescing.
 * {@code limit} and {@code offset} are deliberately outside the hash: the cache holds the whole merged answer and
 * every page is cut from it.
 *
 * @param configId the spanning configuration to ask
 * @param level the query/retrieve level of the results
 * @param resource the QIDO-RS resource (decides which upper-level attributes results repeat); {@code null} for DIMSE
 * @param keys matching keys (non-empty values filter; empty values are return keys that also appear in results)
 * @param returnKeys extra attributes to return (includefield / C-FIND universal keys), as 8-hex tags
 * @param includeAll QIDO {@code includefield=all}
 * @param fuzzyMatching QIDO {@code fuzzymatching=true} (answered with literal matching plus a warning)
 * @param limit maximum results to return, or {@code null} for the service maximum
 * @param offset results to skip (0 = none)
 */
public record SpanQuery(
        long configId,
        QueryLevel level,
        QidoResource resource,
        List<QueryKey> keys,
        List<String> returnKeys,
        boolean includeAll,
        boolean fuzzyMatching,
        Integer limit,
        int offset) {

    public SpanQuery {
        Objects.requireNonNull(level, "level");
        keys = keys.stream().sorted().distinct().toList();
        returnKeys = returnKeys.stream().sorted().distinct().toList();
        if (limit != null && limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
    }

    /** The client's limit for {@link ResultPage#of}: empty when it gave none. */
    public OptionalInt pageLimit() {
        return limit == null ? OptionalInt.empty() : OptionalInt.of(limit);
    }

    /** The same query for another page. */
    public SpanQuery withPage(Integer newLimit, int newOffset) {
        return new SpanQuery(
                configId, level, resource, keys, returnKeys, includeAll, fuzzyMatching, newLimit, newOffset);
    }

    /**
     * SHA-256 (hex) of everything that decides the merged answer: config id, level, resource, keys, return keys,
     * includeAll. Not fuzzy (literal matching either way), not limit/offset (pages of one answer). The config
     * version is added by the caller's cache key (see {@code RedisKeys}).
     */
    public String canonicalHash() {
        return sha256(canonicalForm());
    }

    /**
     * The hash of a shaped answer of this query: {@link #canonicalHash()} unless its results carry Retrieve URLs, which
     * then must be under the same base for two answers to be the same (the cache and coalescing are keyed by this).
     *
     * @param retrieveBaseUrl the base of the Retrieve URLs, empty or null for none
     */
    public String answerHash(String retrieveBaseUrl) {
        if (retrieveBaseUrl == null || retrieveBaseUrl.isEmpty()) {
            return canonicalHash();
        }
        return sha256(canonicalForm() + "|retrieve=" + retrieveBaseUrl);
    }

    private String canonicalForm() {
        StringBuilder sb = new StringBuilder(128);
        sb.append(configId).append('|').append(level.name()).append('|');
        sb.append(resource == null ? "-" : resource.name())
                .append('|')
                .append(includeAll)
                .append('|');
        for (QueryKey k : keys) {
            // Lengths make the encoding unambiguous whatever the values contain.
            sb.append(k.path())
                    .append('=')
                    .append(k.value().length())
                    .append(':')
                    .append(k.value())
                    .append(';');
        }
        sb.append('|');
        for (String r : returnKeys) {
            sb.append(r).append(';');
        }
        return sb.toString();
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
