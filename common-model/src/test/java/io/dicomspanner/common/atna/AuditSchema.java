package io.dicomspanner.common.atna;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/** The DICOM audit message schema of PS3.15 A.5.1 (test resource {@code atna/dicom-audit-message.xsd}). */
final class AuditSchema {

    private static final Schema SCHEMA = load();

    private AuditSchema() {}

    /** Validates one document; throws with the validator's words if it does not conform. */
    static void validate(byte[] xml) throws SAXException, IOException {
        SCHEMA.newValidator().validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    private static Schema load() {
        URL xsd = AuditSchema.class.getResource("/atna/dicom-audit-message.xsd");
        try {
            return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(xsd);
        } catch (SAXException e) {
            throw new IllegalStateException("audit message schema unreadable", e);
        }
    }
}
