package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.Optional;

/**
 * One key to probe: its attribute and the level of the Study Root model it is probed at (patient attributes are keys
 * of the study level there).
 */
record ProbeKey(String keyword, int tag, VR vr, QueryLevel level) {

    /**
     * Resolves and checks a keyword.
     *
     * @throws IllegalArgumentException naming the keyword if the dictionary does not know it, it belongs to no
     *     patient, study or series entity, it is the unique key the probe anchors on, or its VR has no probe values
     */
    static ProbeKey of(String keyword) {
        if (keyword == null) {
            throw new IllegalArgumentException("a keyword to probe is null");
        }
        int tag = ElementDictionary.standard().tagOf(keyword);
        if (tag == -1) {
            throw new IllegalArgumentException("'" + keyword + "' is not a keyword of the data dictionary");
        }
        Optional<QueryLevel> level = AttributeLevels.levelOf(tag);
        if (level.isEmpty() || level.get() == QueryLevel.IMAGE) {
            throw new IllegalArgumentException(keyword + " is not an attribute of the patient, study or series level");
        }
        if (tag == Tag.STUDY_INSTANCE_UID || tag == Tag.SERIES_INSTANCE_UID) {
            throw new IllegalArgumentException(
                    keyword + " is the unique key the probe finds its sample record by; it cannot be probed");
        }
        VR vr = ElementDictionary.standard().vrOf(tag);
        if (!ProbeValues.supports(vr)) {
            throw new IllegalArgumentException(
                    keyword + " has VR " + vr + ", for which the probe has no matching values");
        }
        QueryLevel probedAt = level.get() == QueryLevel.SERIES ? QueryLevel.SERIES : QueryLevel.STUDY;
        return new ProbeKey(keyword, tag, vr, probedAt);
    }

    boolean isSeriesKey() {
        return level == QueryLevel.SERIES;
    }
}
