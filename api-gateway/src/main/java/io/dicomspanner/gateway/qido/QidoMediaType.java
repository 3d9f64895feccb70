package io.dicomspanner.gateway.qido;

import io.dicomspanner.gateway.error.ServiceProblemException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The two forms of a QIDO-RS answer (PS3.18 §10.6.3.2, §8.7) and which one an {@code Accept} header asks for. Liberal
 * as clients are (checklist pitfall 11): {@code application/json}, {@code *}{@code /*} and {@code application/*} get
 * DICOM JSON; {@code multipart/related} (with {@code type="application/dicom+xml"} or no type) and
 * {@code multipart/*} get the XML parts. The highest quality wins; JSON on a tie.
 */
public enum QidoMediaType {
    DICOM_JSON,
    DICOM_XML_MULTIPART;

    public static final MediaType APPLICATION_DICOM_JSON = new MediaType("application", "dicom+json");
    public static final MediaType APPLICATION_DICOM_XML = new MediaType("application", "dicom+xml");

    /**
     * @throws ServiceProblemException 406 when the header accepts neither form
     */
    public static QidoMediaType negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return DICOM_JSON;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw notAcceptable();
        }
        QidoMediaType best = null;
        double bestQuality = 0;
        for (MediaType range : accepted) {
            QidoMediaType form = formOf(range);
            double quality = range.getQualityValue();
            if (form != null
                    && quality > 0
                    && (quality > bestQuality || (quality == bestQuality && form == DICOM_JSON))) {
                best = form;
                bestQuality = quality;
            }
        }
        if (best == null) {
            throw notAcceptable();
        }
        return best;
    }

    private static QidoMediaType formOf(MediaType range) {
        String type = range.getType();
        String subtype = range.getSubtype();
        if (range.isWildcardType()) {
            return DICOM_JSON;
        }
        if (type.equals("application")) {
            return subtype.equals("*") || subtype.equals("dicom+json") || subtype.equals("json") ? DICOM_JSON : null;
        }
        if (type.equals("multipart")) {
            if (subtype.equals("*")) {
                return DICOM_XML_MULTIPART;
            }
            String partType = range.getParameter("type");
            if (subtype.equals("related")
                    && (partType == null || unquote(partType).equalsIgnoreCase("application/dicom+xml"))) {
                return DICOM_XML_MULTIPART;
            }
        }
        return null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }

    private static ServiceProblemException notAcceptable() {
        return new ServiceProblemException(
                HttpStatus.NOT_ACCEPTABLE,
                "Search results are available as application/dicom+json (also as application/json) or as"
                        + " multipart/related; type=\"application/dicom+xml\"");
    }
}
