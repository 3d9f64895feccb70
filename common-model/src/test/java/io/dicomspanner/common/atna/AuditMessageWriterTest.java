package io.dicomspanner.common.atna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xml.sax.SAXException;

class AuditMessageWriterTest {

    static final Instant AT = Instant.parse("2026-12-06T10:15:30.123456Z");
    static final ReportingApplication GATEWAY = new ReportingApplication(
            "api-gateway", "4242", "spanner-1.example.org", new AuditSource("spanner-gw", "HOSPITAL-A", "4"));

    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    private static final String SOURCE = "<AuditSourceIdentification AuditEnterpriseSiteID=\"HOSPITAL-A\""
            + " AuditSourceID=\"spanner-gw\"><AuditSourceTypeCode csd-code=\"4\"/></AuditSourceIdentification>";
    private static final String APPLICATION = "<ActiveParticipant UserID=\"api-gateway\" AlternativeUserID=\"4242\""
            + " UserIsRequestor=\"false\" NetworkAccessPointID=\"spanner-1.example.org\""
            + " NetworkAccessPointTypeCode=\"1\">"
            + "<RoleIDCode csd-code=\"110150\" codeSystemName=\"DCM\" originalText=\"Application\"/>"
            + "</ActiveParticipant>";

    @Test
    void applicationStartIsApplicationActivityWithTheStartTypeCodeAndTheServiceAsApplication() throws Exception {
        AuditMessage message = AuditMessages.applicationActivity(GATEWAY, AT, AuditCode.APPLICATION_START);

        assertThat(AuditMessageWriter.toXmlString(message))
                .isEqualTo(DECLARATION
                        + "<AuditMessage>"
                        + "<EventIdentification EventActionCode=\"E\" EventDateTime=\"2026-12-06T10:15:30.123Z\""
                        + " EventOutcomeIndicator=\"0\">"
                        + "<EventID csd-code=\"110100\" codeSystemName=\"DCM\" originalText=\"Application Activity\"/>"
                        + "<EventTypeCode csd-code=\"110120\" codeSystemName=\"DCM\" originalText=\"Application Start\"/>"
                        + "</EventIdentification>"
                        + APPLICATION
                        + SOURCE
                        + "</AuditMessage>");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void applicationStopCarriesTheStopTypeCode() throws Exception {
        AuditMessage message = AuditMessages.applicationActivity(GATEWAY, AT, AuditCode.APPLICATION_STOP);

        assertThat(AuditMessageWriter.toXmlString(message))
                .contains(
                        "<EventTypeCode csd-code=\"110121\" codeSystemName=\"DCM\" originalText=\"Application Stop\"/>")
                .doesNotContain("110120");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void applicationActivityRefusesOtherTypeCodes() {
        assertThatThrownBy(() -> AuditMessages.applicationActivity(GATEWAY, AT, AuditCode.LOGIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an application activity: Login");
    }

    @Test
    void queryNamesRequestorAndServiceAndCarriesTheQueryBase64UnderItsSopClass() throws Exception {
        String query = "config=3&level=STUDY&PatientID=phi1:AAAAAAAAAAAAAAAAAAAAAA&StudyDate=20240101-";
        AuditMessage message = AuditMessages.query(
                GATEWAY, AT, EventOutcome.SUCCESS, "api-key:ris", "10.1.2.3", AuditMessages.STUDY_ROOT_FIND, query);

        String base64 = Base64.getEncoder().encodeToString(query.getBytes(StandardCharsets.UTF_8));
        assertThat(AuditMessageWriter.toXmlString(message))
                .isEqualTo(DECLARATION
                        + "<AuditMessage>"
                        + "<EventIdentification EventActionCode=\"E\" EventDateTime=\"2026-12-06T10:15:30.123Z\""
                        + " EventOutcomeIndicator=\"0\">"
                        + "<EventID csd-code=\"110112\" codeSystemName=\"DCM\" originalText=\"Query\"/>"
                        + "</EventIdentification>"
                        + "<ActiveParticipant UserID=\"api-key:ris\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"10.1.2.3\" NetworkAccessPointTypeCode=\"2\">"
                        + "<RoleIDCode csd-code=\"110153\" codeSystemName=\"DCM\" originalText=\"Source Role ID\"/>"
                        + "</ActiveParticipant>"
                        + "<ActiveParticipant UserID=\"api-gateway\" AlternativeUserID=\"4242\""
                        + " UserIsRequestor=\"false\" NetworkAccessPointID=\"spanner-1.example.org\""
                        + " NetworkAccessPointTypeCode=\"1\">"
                        + "<RoleIDCode csd-code=\"110152\" codeSystemName=\"DCM\" originalText=\"Destination Role ID\"/>"
                        + "</ActiveParticipant>"
                        + SOURCE
                        + "<ParticipantObjectIdentification ParticipantObjectID=\"1.2.840.10008.5.1.4.1.2.2.1\""
                        + " ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"3\">"
                        + "<ParticipantObjectIDTypeCode csd-code=\"110181\" codeSystemName=\"DCM\""
                        + " originalText=\"SOP Class UID\"/>"
                        + "<ParticipantObjectQuery>" + base64 + "</ParticipantObjectQuery>"
                        + "</ParticipantObjectIdentification>"
                        + "</AuditMessage>");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void securityAlertNamesTheReporterThePerformerTheTypeAndTheSubject() throws Exception {
        AuditMessage message = AuditMessages.securityAlert(
                GATEWAY,
                AT,
                AuditCode.NODE_AUTHENTICATION,
                EventOutcome.MINOR_FAILURE,
                "TLS handshake refused: unknown_ca",
                "10.9.8.7",
                "10.9.8.7",
                new ParticipantObject(
                        "dicom-tls://0.0.0.0:2762",
                        AuditCode.URI,
                        ParticipantObject.SYSTEM_OBJECT,
                        ParticipantObject.SECURITY_RESOURCE,
                        null,
                        null));

        assertThat(AuditMessageWriter.toXmlString(message))
                .isEqualTo(DECLARATION
                        + "<AuditMessage>"
                        + "<EventIdentification EventActionCode=\"E\" EventDateTime=\"2026-12-06T10:15:30.123Z\""
                        + " EventOutcomeIndicator=\"4\">"
                        + "<EventID csd-code=\"110113\" codeSystemName=\"DCM\" originalText=\"Security Alert\"/>"
                        + "<EventTypeCode csd-code=\"110126\" codeSystemName=\"DCM\""
                        + " originalText=\"Node Authentication\"/>"
                        + "<EventOutcomeDescription>TLS handshake refused: unknown_ca</EventOutcomeDescription>"
                        + "</EventIdentification>"
                        + APPLICATION
                        + "<ActiveParticipant UserID=\"10.9.8.7\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"10.9.8.7\" NetworkAccessPointTypeCode=\"2\"/>"
                        + SOURCE
                        + "<ParticipantObjectIdentification ParticipantObjectID=\"dicom-tls://0.0.0.0:2762\""
                        + " ParticipantObjectTypeCode=\"2\" ParticipantObjectTypeCodeRole=\"13\">"
                        + "<ParticipantObjectIDTypeCode csd-code=\"12\" codeSystemName=\"RFC-3881\""
                        + " originalText=\"URI\"/>"
                        + "</ParticipantObjectIdentification>"
                        + "</AuditMessage>");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void userAuthenticationFailureIsALoginWithMinorFailureAndTheUserAsRequestor() throws Exception {
        AuditMessage message = AuditMessages.userAuthentication(
                GATEWAY,
                AT,
                AuditCode.LOGIN,
                EventOutcome.MINOR_FAILURE,
                "api-key:unknown",
                "2001:db8::1",
                "unknown or revoked API key");

        assertThat(AuditMessageWriter.toXmlString(message))
                .isEqualTo(DECLARATION
                        + "<AuditMessage>"
                        + "<EventIdentification EventActionCode=\"E\" EventDateTime=\"2026-12-06T10:15:30.123Z\""
                        + " EventOutcomeIndicator=\"4\">"
                        + "<EventID csd-code=\"110114\" codeSystemName=\"DCM\" originalText=\"User Authentication\"/>"
                        + "<EventTypeCode csd-code=\"110122\" codeSystemName=\"DCM\" originalText=\"Login\"/>"
                        + "<EventOutcomeDescription>unknown or revoked API key</EventOutcomeDescription>"
                        + "</EventIdentification>"
                        + "<ActiveParticipant UserID=\"api-key:unknown\" UserIsRequestor=\"true\""
                        + " NetworkAccessPointID=\"2001:db8::1\" NetworkAccessPointTypeCode=\"2\"/>"
                        + APPLICATION
                        + SOURCE
                        + "</AuditMessage>");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void logoutIsAcceptedAndOtherTypeCodesAreNot() {
        assertThat(AuditMessageWriter.toXmlString(AuditMessages.userAuthentication(
                        GATEWAY, AT, AuditCode.LOGOUT, EventOutcome.SUCCESS, "api-key:ris", null, null)))
                .contains("<EventTypeCode csd-code=\"110123\" codeSystemName=\"DCM\" originalText=\"Logout\"/>")
                .contains("<ActiveParticipant UserID=\"api-key:ris\" UserIsRequestor=\"true\"/>");
        assertThatThrownBy(() -> AuditMessages.userAuthentication(
                        GATEWAY, AT, AuditCode.APPLICATION_START, EventOutcome.SUCCESS, "x", null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a user authentication: Application Start");
    }

    @Test
    void markupInValuesIsEscapedAndASiteIdIsLeftOutWhenThereIsNone() throws Exception {
        ReportingApplication listener = new ReportingApplication(
                "dimse-scp-listener", "7", "host", new AuditSource("listener", null, AuditSource.APPLICATION_SERVER));
        AuditMessage message = AuditMessages.securityAlert(
                listener,
                AT,
                AuditCode.USE_OF_RESTRICTED_FUNCTION,
                EventOutcome.MINOR_FAILURE,
                "a <b> & \"c\"",
                "api-key:x&y",
                null,
                null);

        String xml = AuditMessageWriter.toXmlString(message);
        assertThat(xml)
                .contains("<EventOutcomeDescription>a &lt;b&gt; &amp; \"c\"</EventOutcomeDescription>")
                .contains("<ActiveParticipant UserID=\"api-key:x&amp;y\" UserIsRequestor=\"true\"/>")
                .contains("<AuditSourceIdentification AuditSourceID=\"listener\">");
        AuditSchema.validate(AuditMessageWriter.toXml(message));
    }

    @Test
    void theSchemaRefusesAMessageWithoutActiveParticipantOrWithAnUnknownOutcome() {
        String valid = AuditMessageWriter.toXmlString(
                AuditMessages.applicationActivity(GATEWAY, AT, AuditCode.APPLICATION_START));
        String noParticipant = valid.replace(APPLICATION, "");
        String badOutcome = valid.replace("EventOutcomeIndicator=\"0\"", "EventOutcomeIndicator=\"3\"");

        assertThatThrownBy(() -> AuditSchema.validate(noParticipant.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SAXException.class)
                .hasMessageContaining("AuditSourceIdentification");
        assertThatThrownBy(() -> AuditSchema.validate(badOutcome.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SAXException.class)
                .hasMessageContaining("'3'");
    }

    @Test
    void aMessageNeedsAParticipantAndAnObjectNeedsNameOrQueryNotBoth() {
        assertThatThrownBy(() -> new AuditMessage(
                        AuditMessages.applicationActivity(GATEWAY, AT, AuditCode.APPLICATION_START)
                                .event(),
                        List.of(),
                        GATEWAY.source(),
                        List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an audit message needs at least one active participant");
        assertThatThrownBy(() -> new ParticipantObject("x", AuditCode.URI, 2, 3, "name", new byte[] {1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a participant object has a name or a query, not both");
    }
}
