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
 * merging, output as UTF-8 JSON or re-encoding for a C-FIND response) reads the same text whatever data set the value
 * ends up in. Text in the default repertoire already reads the same in every data set without (0008,0005), so such
 * records keep their bytes: most C-FIND answers are plain ASCII, and decoding them would only cost time.
 */
final class DecodedText {

    private DecodedText() {}

    /**
     * Decodes every text value of {@code record} and of its sequence items in place, except in data sets in the
     * default repertoire, and removes (0008,0005) from all of them.
     */
    static Attributes decodeInPlace(Attributes record) {
        decode(record);
        return record;
    }

    private static void decode(Attributes dataSet) {
        boolean decodeText = !dataSet.specificCharacterSet().isDefault();
        for (int i = 0; i < dataSet.size(); i++) {
            Object value = dataSet.valueAt(i);
            if (value instanceof Sequence sequence) {
                // Items inherit the character set, so they are decoded before their data set loses (0008,0005).
                for (Attributes item : sequence.items()) {
                    decode(item);
                }
            } else if (decodeText
                    && value instanceof byte[]
                    && dataSet.vrAt(i).kind() == VR.Kind.TEXT_SPECIFIC_CHARSET) {
                int tag = dataSet.tagAt(i);
                // Replacing a present tag keeps its position, so the index stays valid.
                dataSet.setString(tag, dataSet.vrAt(i), dataSet.getStrings(tag));
            }
        }
        dataSet.remove(Tag.SPECIFIC_CHARACTER_SET);
    }
}
