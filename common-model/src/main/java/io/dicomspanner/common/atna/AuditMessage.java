package io.dicomspanner.common.atna;

import java.util.List;
import java.util.Objects;

/**
 * One DICOM audit message (PS3.15 Annex A.5): the event, its active participants (at least one), the reporting
 * service, and the objects it concerned. {@link AuditMessageWriter} writes it as XML; {@link AuditMessages} makes the
 * messages this product sends.
 */
public record AuditMessage(
        EventIdentification event,
        List<ActiveParticipant> participants,
        AuditSource source,
        List<ParticipantObject> objects) {

    public AuditMessage {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(source, "source");
        participants = List.copyOf(participants);
        objects = List.copyOf(objects);
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("an audit message needs at least one active participant");
        }
    }
}
