package io.dicomspanner.common.atna;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What happened, when, and how it ended.
 *
 * @param eventId the family of event (Query, Security Alert, ...)
 * @param action what it did, or {@code null} to leave the optional attribute out
 * @param dateTime when it happened (written in UTC)
 * @param outcome whether it succeeded
 * @param outcomeDescription why it failed, free text without PHI, or {@code null}
 * @param typeCodes the specific types within the family (Application Start, Login, ...)
 */
public record EventIdentification(
        AuditCode eventId,
        EventAction action,
        Instant dateTime,
        EventOutcome outcome,
        String outcomeDescription,
        List<AuditCode> typeCodes) {

    public EventIdentification {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(dateTime, "dateTime");
        Objects.requireNonNull(outcome, "outcome");
        typeCodes = List.copyOf(typeCodes);
    }
}
