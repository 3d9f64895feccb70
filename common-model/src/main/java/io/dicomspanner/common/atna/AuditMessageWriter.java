package io.dicomspanner.common.atna;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an {@link AuditMessage} as the XML of PS3.15 A.5.1 (the DICOM audit message schema derived from RFC 3881),
 * UTF-8, on one line: elements in the order the schema demands, optional attributes left out when they have no value,
 * {@code EventDateTime} in UTC to the millisecond. Thread-safe.
 */
public final class AuditMessageWriter {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    private AuditMessageWriter() {}

    /** The message as UTF-8 XML with an XML declaration. */
    public static byte[] toXml(AuditMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
            xml.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
            xml.writeStartElement("AuditMessage");
            writeEvent(xml, message.event());
            for (ActiveParticipant participant : message.participants()) {
                writeParticipant(xml, participant);
            }
            writeSource(xml, message.source());
            for (ParticipantObject object : message.objects()) {
                writeObject(xml, object);
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Audit message not written as XML", e);
        }
        return out.toByteArray();
    }

    /** {@link #toXml} as a string (tests, logs of the message's shape). */
    public static String toXmlString(AuditMessage message) {
        return new String(toXml(message), StandardCharsets.UTF_8);
    }

    private static void writeEvent(XMLStreamWriter xml, EventIdentification event) throws XMLStreamException {
        xml.writeStartElement("EventIdentification");
        if (event.action() != null) {
            xml.writeAttribute("EventActionCode", event.action().code());
        }
        xml.writeAttribute(
                "EventDateTime",
                DateTimeFormatter.ISO_INSTANT.format(event.dateTime().truncatedTo(ChronoUnit.MILLIS)));
        xml.writeAttribute("EventOutcomeIndicator", event.outcome().indicator());
        writeCode(xml, "EventID", event.eventId());
        for (AuditCode type : event.typeCodes()) {
            writeCode(xml, "EventTypeCode", type);
        }
        if (event.outcomeDescription() != null) {
            xml.writeStartElement("EventOutcomeDescription");
            xml.writeCharacters(event.outcomeDescription());
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void writeParticipant(XMLStreamWriter xml, ActiveParticipant participant) throws XMLStreamException {
        if (participant.roles().isEmpty()) {
            xml.writeEmptyElement("ActiveParticipant");
        } else {
            xml.writeStartElement("ActiveParticipant");
        }
        xml.writeAttribute("UserID", participant.userId());
        if (participant.alternativeUserId() != null) {
            xml.writeAttribute("AlternativeUserID", participant.alternativeUserId());
        }
        if (participant.userName() != null) {
            xml.writeAttribute("UserName", participant.userName());
        }
        xml.writeAttribute("UserIsRequestor", Boolean.toString(participant.userIsRequestor()));
        if (participant.networkAccessPointId() != null) {
            xml.writeAttribute("NetworkAccessPointID", participant.networkAccessPointId());
            xml.writeAttribute(
                    "NetworkAccessPointTypeCode",
                    participant.networkAccessPointType().code());
        }
        for (AuditCode role : participant.roles()) {
            writeCode(xml, "RoleIDCode", role);
        }
        if (!participant.roles().isEmpty()) {
            xml.writeEndElement();
        }
    }

    private static void writeSource(XMLStreamWriter xml, AuditSource source) throws XMLStreamException {
        xml.writeStartElement("AuditSourceIdentification");
        if (source.enterpriseSiteId() != null) {
            xml.writeAttribute("AuditEnterpriseSiteID", source.enterpriseSiteId());
        }
        xml.writeAttribute("AuditSourceID", source.auditSourceId());
        xml.writeEmptyElement("AuditSourceTypeCode");
        xml.writeAttribute("csd-code", source.typeCode());
        xml.writeEndElement();
    }

    private static void writeObject(XMLStreamWriter xml, ParticipantObject object) throws XMLStreamException {
        xml.writeStartElement("ParticipantObjectIdentification");
        xml.writeAttribute("ParticipantObjectID", object.id());
        if (object.typeCode() != null) {
            xml.writeAttribute("ParticipantObjectTypeCode", object.typeCode().toString());
        }
        if (object.typeCodeRole() != null) {
            xml.writeAttribute(
                    "ParticipantObjectTypeCodeRole", object.typeCodeRole().toString());
        }
        writeCode(xml, "ParticipantObjectIDTypeCode", object.idTypeCode());
        if (object.name() != null) {
            xml.writeStartElement("ParticipantObjectName");
            xml.writeCharacters(object.name());
            xml.writeEndElement();
        }
        byte[] query = object.query();
        if (query != null) {
            xml.writeStartElement("ParticipantObjectQuery");
            xml.writeCharacters(Base64.getEncoder().encodeToString(query));
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }

    private static void writeCode(XMLStreamWriter xml, String element, AuditCode code) throws XMLStreamException {
        xml.writeEmptyElement(element);
        xml.writeAttribute("csd-code", code.code());
        xml.writeAttribute("codeSystemName", code.codeSystemName());
        xml.writeAttribute("originalText", code.originalText());
    }
}
