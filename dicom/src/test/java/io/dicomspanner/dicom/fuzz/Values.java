package io.dicomspanner.dicom.fuzz;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.VR;

/** What a consumer of a parsed data set does with it: reads every value that has a string form, items included. */
public final class Values {
    private Values() {}

    /** Reads every text and binary-number value; returns how many values were read. */
    public static int readAll(Attributes attributes) {
        int count = 0;
        attributes.specificCharacterSet();
        for (int i = 0; i < attributes.size(); i++) {
            VR vr = attributes.vrAt(i);
            int tag = attributes.tagAt(i);
            if (vr == VR.SQ) {
                Sequence sequence = attributes.getSequence(tag);
                if (sequence != null) {
                    for (Attributes item : sequence.items()) {
                        count += readAll(item);
                    }
                }
            } else if (vr.isText() || vr.binaryValueSize() > 0) {
                count += attributes.getStrings(tag).length;
            }
        }
        return count;
    }
}
