package io.dicomspanner.listener.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;

/**
 * The character set of C-FIND responses: the request's own Specific Character Set when it can hold every value of the
 * record, else UTF-8 (ISO_IR 192), which holds any. PS3.4 C.4.1.1.3.1 lets the SCP answer in another set than the
 * request's; answering in the SCU's own set where possible is kindest to SCUs that know only theirs.
 *
 * <p>The coordinator's records carry no Specific Character Set when all their text is ASCII (valid in every set) and
 * ISO_IR 192 otherwise.
 */
final class ResponseCharacterSet {

    private final SpecificCharacterSet requested;

    ResponseCharacterSet(SpecificCharacterSet requested) {
        this.requested = requested;
    }

    Attributes encode(Attributes record) {
        SpecificCharacterSet own = record.specificCharacterSet();
        if (own.isDefault() || own.equals(requested) || requested.isDefault() || !requested.isKnown()) {
            return record;
        }
        Attributes out = new Attributes();
        out.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, requested.codes());
        for (int i = 0; i < record.size(); i++) {
            int tag = record.tagAt(i);
            if (tag != Tag.SPECIFIC_CHARACTER_SET) {
                out.copyFrom(record, tag);
            }
        }
        try {
            // Encoding is strict: a character the set cannot hold throws, and the record stays in UTF-8.
            DicomWriter.encode(out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            return out;
        } catch (IllegalArgumentException e) {
            return record;
        }
    }
}
