package io.dicomspanner.common.capability;

import io.dicomspanner.common.wire.WireEnum;
import java.time.Instant;
import java.util.Objects;

/**
 * The newest thing observed of whether one source matches on one key (table {@code source_key_observation}).
 *
 * @param keyword PS3.6 keyword of the key
 * @param matched {@code true} the source applies the key as DICOM's matching rules say; {@code false} it does not (it
 *     ignores the key, or returns records the key excludes, or loses records the key includes); {@code null} not
 *     determined
 * @param returned whether the source returns the attribute's own value when asked; {@code null} not determined
 * @param origin a capability probe or the source's answers
 * @param observedAt when it was observed
 * @param evidence what was seen, for an operator: counts and rules, never a value (values may be PHI)
 */
public record KeyObservation(
        long sourceId,
        String keyword,
        Boolean matched,
        Boolean returned,
        Origin origin,
        Instant observedAt,
        String evidence) {

    /** Where an observation comes from; in JSON and in the table by its wire name ({@code probed}, {@code learned}). */
    public enum Origin implements WireEnum {
        /** a capability probe: C-FINDs with values that must and must not match */
        PROBED,
        /** the source's answers to spanning queries */
        LEARNED
    }

    public KeyObservation {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(observedAt, "observedAt");
        Objects.requireNonNull(evidence, "evidence");
    }

    /**
     * Whether the worker must verify the key itself for this source: the source does not match on it, or whether it
     * does is not known and its records do not carry the value to re-check. The one rule;
     * {@link KeyObservationRows#VERIFIED_KEYS} is the same in SQL.
     */
    public boolean needsVerification() {
        return Boolean.FALSE.equals(matched) || (matched == null && Boolean.FALSE.equals(returned));
    }
}
