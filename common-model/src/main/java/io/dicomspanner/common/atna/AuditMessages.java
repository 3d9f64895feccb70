package io.dicomspanner.common.atna;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The audit messages this product sends, shaped as PS3.15 A.5.3 describes each event. No message carries PHI in clear
 * text: a query is written by {@link QueryText} with PHI values replaced by their tokens, and the other events name
 * API keys, AE titles, addresses and certificate subjects only.
 */
public final class AuditMessages {

    /** Study Root Query/Retrieve Information Model - FIND: the SOP class a QIDO-RS search is audited under. */
    public static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";

    private AuditMessages() {}

    /** Application Activity (A.5.3.1): the service started ({@link AuditCode#APPLICATION_START}) or stops. */
    public static AuditMessage applicationActivity(ReportingApplication app, Instant at, AuditCode startOrStop) {
        if (!startOrStop.equals(AuditCode.APPLICATION_START) && !startOrStop.equals(AuditCode.APPLICATION_STOP)) {
            throw new IllegalArgumentException("not an application activity: " + startOrStop.originalText());
        }
        return new AuditMessage(
                new EventIdentification(
                        AuditCode.APPLICATION_ACTIVITY,
                        EventAction.EXECUTE,
                        at,
                        EventOutcome.SUCCESS,
                        null,
                        List.of(startOrStop)),
                List.of(app.participant(false, AuditCode.APPLICATION)),
                app.source(),
                List.of());
    }

    /**
     * Query (A.5.3.11): a requestor asked this service a query.
     *
     * @param requestor who asked: {@code api-key:<name>} or the calling AE title
     * @param requestorAddress the requestor's IP address, or {@code null}
     * @param sopClassUid the query's SOP class: the C-FIND's, or {@link #STUDY_ROOT_FIND} for QIDO-RS
     * @param query the query without PHI in clear text ({@link QueryText})
     * @param outcome {@link EventOutcome#SUCCESS} for an accepted query, a failure for one refused
     */
    public static AuditMessage query(
            ReportingApplication app,
            Instant at,
            EventOutcome outcome,
            String requestor,
            String requestorAddress,
            String sopClassUid,
            String query) {
        return new AuditMessage(
                new EventIdentification(AuditCode.QUERY, EventAction.EXECUTE, at, outcome, null, List.of()),
                List.of(
                        ActiveParticipant.at(requestor, null, true, requestorAddress, AuditCode.SOURCE_ROLE),
                        app.participant(false, AuditCode.DESTINATION_ROLE)),
                app.source(),
                List.of(new ParticipantObject(
                        sopClassUid,
                        AuditCode.SOP_CLASS_UID,
                        ParticipantObject.SYSTEM_OBJECT,
                        ParticipantObject.REPORT,
                        null,
                        query.getBytes(StandardCharsets.UTF_8))));
    }

    /**
     * Security Alert (A.5.3.12) about something a peer did or tried.
     *
     * @param type what kind of alert (Node Authentication, Use of Restricted Function, ...)
     * @param outcome {@link EventOutcome#SUCCESS} for an informative alert (a configuration change),
     *     {@link EventOutcome#MINOR_FAILURE} for an attempt refused
     * @param description what happened, free text without PHI, or {@code null}
     * @param performer who caused it (an API key's actor name, a peer's address), or {@code null} if unknown
     * @param performerAddress the performer's IP address, or {@code null}
     * @param subject what the alert is about, or {@code null}
     */
    public static AuditMessage securityAlert(
            ReportingApplication app,
            Instant at,
            AuditCode type,
            EventOutcome outcome,
            String description,
            String performer,
            String performerAddress,
            ParticipantObject subject) {
        List<ActiveParticipant> participants = performer == null
                ? List.of(app.participant(false, AuditCode.APPLICATION))
                : List.of(
                        app.participant(false, AuditCode.APPLICATION),
                        ActiveParticipant.at(performer, null, true, performerAddress));
        return new AuditMessage(
                new EventIdentification(
                        AuditCode.SECURITY_ALERT, EventAction.EXECUTE, at, outcome, description, List.of(type)),
                participants,
                app.source(),
                subject == null ? List.of() : List.of(subject));
    }

    /**
     * User Authentication (A.5.3.13): a user logged in or out at this service, or tried to.
     *
     * @param loginOrLogout {@link AuditCode#LOGIN} or {@link AuditCode#LOGOUT}
     * @param outcome {@link EventOutcome#SUCCESS}, or {@link EventOutcome#MINOR_FAILURE} for credentials refused
     * @param user who (an API key's name, or {@code api-key:unknown} for a key nobody holds)
     * @param userAddress the user's IP address, or {@code null}
     * @param description why it failed, free text without PHI, or {@code null}
     */
    public static AuditMessage userAuthentication(
            ReportingApplication app,
            Instant at,
            AuditCode loginOrLogout,
            EventOutcome outcome,
            String user,
            String userAddress,
            String description) {
        if (!loginOrLogout.equals(AuditCode.LOGIN) && !loginOrLogout.equals(AuditCode.LOGOUT)) {
            throw new IllegalArgumentException("not a user authentication: " + loginOrLogout.originalText());
        }
        return new AuditMessage(
                new EventIdentification(
                        AuditCode.USER_AUTHENTICATION,
                        EventAction.EXECUTE,
                        at,
                        outcome,
                        description,
                        List.of(loginOrLogout)),
                List.of(
                        ActiveParticipant.at(user, null, true, userAddress),
                        app.participant(false, AuditCode.APPLICATION)),
                app.source(),
                List.of());
    }
}
