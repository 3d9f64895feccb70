package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.coordinator.merge.QidoResponseShape;
import io.dicomspanner.coordinator.merge.RetrieveUrls;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns merged records into the results an entry point returns, encoded as {@link io.dicomspanner.common.messaging
 * .SpanAnswer} carries them (Explicit VR Little Endian).
 *
 * <p>QIDO-RS: {@link QidoResponseShape} (the resource's attributes, the requested ones, required ones filled empty).
 * DIMSE: the attributes of the C-FIND identifier (the query's keys and return keys), each present, empty if no
 * source gave it, plus Query/Retrieve Level and Retrieve AE Title, as a C-FIND response identifier carries them.
 *
 * <p>Merged text is decoded; a record holding any non-ASCII text gets Specific Character Set {@code ISO_IR 192}
 * so the bytes say how it is encoded. Thread-safe.
 */
final class AnswerShaper {

    private static final String UTF_8 = "ISO_IR 192";

    private final SpanQuery query;
    private final QidoResponseShape qido;
    private final Set<Integer> requested;

    private AnswerShaper(SpanQuery query, QidoResponseShape qido, Set<Integer> requested) {
        this.query = query;
        this.qido = qido;
        this.requested = requested;
    }

    /** @param retrieveBaseUrl base of Retrieve URLs (the config's DICOMweb service), empty for none */
    static AnswerShaper of(SpanQuery query, String retrieveBaseUrl) {
        Set<Integer> requested = new TreeSet<>(Integer::compareUnsigned);
        for (QueryKey key : query.keys()) {
            requested.add(Integer.parseUnsignedInt(key.path().substring(0, 8), 16));
        }
        for (String returnKey : query.returnKeys()) {
            requested.add(Integer.parseUnsignedInt(returnKey.substring(0, 8), 16));
        }
        QidoResponseShape qido = null;
        if (query.resource() != null) {
            RetrieveUrls urls = retrieveBaseUrl == null || retrieveBaseUrl.isBlank()
                    ? RetrieveUrls.none()
                    : RetrieveUrls.under(retrieveBaseUrl);
            qido = new QidoResponseShape(query.resource(), requested, query.includeAll(), urls);
        }
        return new AnswerShaper(query, qido, requested);
    }

    Attributes shape(Attributes merged) {
        Attributes out;
        if (qido != null) {
            out = qido.shape(merged);
        } else {
            out = new Attributes();
            ElementDictionary dictionary = ElementDictionary.standard();
            for (int tag : requested) {
                if (tag == Tag.SPECIFIC_CHARACTER_SET) {
                    continue;
                }
                if (merged.contains(tag)) {
                    out.copyFrom(merged, tag);
                } else {
                    out.setNull(tag, dictionary.vrOf(tag));
                }
            }
            out.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, query.level().code());
            if (merged.contains(Tag.RETRIEVE_AE_TITLE)) {
                out.copyFrom(merged, Tag.RETRIEVE_AE_TITLE);
            }
        }
        if (hasNonAscii(out)) {
            out.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, UTF_8);
        }
        return out;
    }

    byte[] encode(Attributes merged) {
        return DicomWriter.encode(shape(merged), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    private static boolean hasNonAscii(Attributes record) {
        for (int i = 0; i < record.size(); i++) {
            Object value = record.valueAt(i);
            if (value instanceof String s && !isAscii(s)) {
                return true;
            }
            if (value instanceof String[] values) {
                for (String s : values) {
                    if (s != null && !isAscii(s)) {
                        return true;
                    }
                }
            }
            if (value instanceof Sequence sequence) {
                for (Attributes item : sequence.items()) {
                    if (hasNonAscii(item)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }
}
