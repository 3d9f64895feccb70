package io.dicomspanner.common.atna;

import java.util.List;
import java.util.Objects;

/**
 * A person or process that took part in the event.
 *
 * @param userId who: an API key's name, an AE title, a process
 * @param alternativeUserId another name of the same participant (the process id of an application), or {@code null}
 * @param userName a readable name, or {@code null}
 * @param userIsRequestor whether this participant asked for what happened
 * @param networkAccessPointId the participant's address, or {@code null}
 * @param networkAccessPointType what kind of address; {@code null} exactly when there is no address
 * @param roles the participant's roles (Source, Destination, Application, ...)
 */
public record ActiveParticipant(
        String userId,
        String alternativeUserId,
        String userName,
        boolean userIsRequestor,
        String networkAccessPointId,
        NetworkAccessPointType networkAccessPointType,
        List<AuditCode> roles) {

    public ActiveParticipant {
        Objects.requireNonNull(userId, "userId");
        if ((networkAccessPointId == null) != (networkAccessPointType == null)) {
            throw new IllegalArgumentException("a network access point needs both its id and its type");
        }
        roles = List.copyOf(roles);
    }

    /** A participant at {@code address} (IP address or host name; {@code null} for none). */
    public static ActiveParticipant at(
            String userId, String alternativeUserId, boolean requestor, String address, AuditCode... roles) {
        return new ActiveParticipant(
                userId,
                alternativeUserId,
                null,
                requestor,
                address,
                address == null ? null : NetworkAccessPointType.of(address),
                List.of(roles));
    }
}
