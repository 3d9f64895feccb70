package io.dicomspanner.gateway.qido;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a data set in the Native DICOM Model of PS3.19 §A.1 ({@code application/dicom+xml}), the XML form QIDO-RS
 * returns one part per result in {@code multipart/related}. Covers what search results hold: text and numeric values,
 * person names by component group and component, sequences, and binary values inline (base64). Private attributes
 * are written with their tag and VR only (their creator is not known here).
 */
public final class NativeDicomModelWriter {

    public static final String NAMESPACE = "http://dicom.nema.org/PS3.19/models/NativeDICOM";

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private static final String[] NAME_GROUPS = {"Alphabetic", "Ideographic", "Phonetic"};
    private static final String[] NAME_COMPONENTS = {"FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"
    };

    /** The document of one data set, UTF-8. */
    public byte[] toBytes(Attributes dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(dataset, out);
        return out.toByteArray();
    }

    public void write(Attributes dataset, OutputStream out) {
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("NativeDicomModel");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeAttribute("xml", "http://www.w3.org/XML/1998/namespace", "space", "preserve");
            writeAttributes(xml, dataset);
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Native DICOM Model not written", e);
        }
    }

    private static void writeAttributes(XMLStreamWriter xml, Attributes dataset) throws XMLStreamException {
        for (int i = 0; i < dataset.size(); i++) {
            int tag = dataset.tagAt(i);
            if (Tag.isGroupLength(tag)) {
                continue;
            }
            VR vr = dataset.vrAt(i);
            xml.writeStartElement("DicomAttribute");
            xml.writeAttribute("tag", String.format(Locale.ROOT, "%08X", tag));
            xml.writeAttribute("vr", vr.name());
            String keyword = ElementDictionary.standard().keywordOf(tag);
            if (keyword != null) {
                xml.writeAttribute("keyword", keyword);
            }
            if (vr == VR.SQ) {
                Sequence sequence = dataset.getSequence(tag);
                if (sequence != null) {
                    for (int item = 0; item < sequence.size(); item++) {
                        xml.writeStartElement("Item");
                        xml.writeAttribute("number", Integer.toString(item + 1));
                        writeAttributes(xml, sequence.get(item));
                        xml.writeEndElement();
                    }
                }
            } else if (vr == VR.PN) {
                writePersonNames(xml, dataset.getStrings(tag));
            } else if (vr.kind() == VR.Kind.BINARY && vr.binaryValueSize() == 0) {
                byte[] bytes = dataset.getBytes(tag);
                if (bytes != null && bytes.length > 0) {
                    xml.writeStartElement("InlineBinary");
                    xml.writeCharacters(Base64.getEncoder().encodeToString(bytes));
                    xml.writeEndElement();
                }
            } else {
                writeValues(xml, dataset.getStrings(tag));
            }
            xml.writeEndElement();
        }
    }

    /** An empty value inside a multi-valued attribute keeps its number and has no Value element. */
    private static void writeValues(XMLStreamWriter xml, String[] values) throws XMLStreamException {
        for (int v = 0; v < values.length; v++) {
            if (values[v].isEmpty()) {
                continue;
            }
            xml.writeStartElement("Value");
            xml.writeAttribute("number", Integer.toString(v + 1));
            xml.writeCharacters(values[v]);
            xml.writeEndElement();
        }
    }

    private static void writePersonNames(XMLStreamWriter xml, String[] names) throws XMLStreamException {
        for (int v = 0; v < names.length; v++) {
            if (names[v].isEmpty()) {
                continue;
            }
            xml.writeStartElement("PersonName");
            xml.writeAttribute("number", Integer.toString(v + 1));
            String[] groups = names[v].split("=", -1);
            for (int g = 0; g < Math.min(groups.length, NAME_GROUPS.length); g++) {
                if (groups[g].isEmpty()) {
                    continue;
                }
                xml.writeStartElement(NAME_GROUPS[g]);
                String[] components = groups[g].split("\\^", -1);
                for (int c = 0; c < Math.min(components.length, NAME_COMPONENTS.length); c++) {
                    if (!components[c].isEmpty()) {
                        xml.writeStartElement(NAME_COMPONENTS[c]);
                        xml.writeCharacters(components[c]);
                        xml.writeEndElement();
                    }
                }
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
    }
}
