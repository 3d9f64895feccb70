package io.dicomspanner.coordinator.merge;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;

/**
 * Turns a record's text into Java strings and drops its Specific Character Set.
 *
 * <p>Copies of one record come from PACS that answer in different character sets; merging their attributes while the
 * text is still wire bytes would mix encodings in one data set. Decoded once on arrival, every later step (matching,
 * merging, output as UTF-8 JSON or re-encoding for a C-FIND response) works on strings.
 */
final class DecodedText {

    private DecodedText() {}

    /** Decodes every text value of {@code record} and its sequence items in place, then removes (0008,0005). */
    static Attributes decodeInPlace(Attributes record) {
        for (int i = 0; i < record.size(); i++) {
            Object value = record.valueAt(i);
            if (value instanceof Sequence sequence) {
                for (Attributes item : sequence.items()) {
                    decodeInPlace(item);
                }
            } else if (value instanceof byte[] && record.vrAt(i).kind() == VR.Kind.TEXT_SPECIFIC_CHARSET) {
                int tag = record.tagAt(i);
                // Replacing a present tag keeps its position, so the index stays valid.
                record.setString(tag, record.vrAt(i), record.getStrings(tag));
            }
        }
        record.remove(Tag.SPECIFIC_CHARACTER_SET);
        return record;
    }
}
