package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Tag;

/** The Query/Retrieve Levels of PS3.4 C.6, from the top, each with its unique key. */
public enum QueryLevel {
    PATIENT(Tag.PATIENT_ID),
    STUDY(Tag.STUDY_INSTANCE_UID),
    SERIES(Tag.SERIES_INSTANCE_UID),
    IMAGE(Tag.SOP_INSTANCE_UID);

    private final int uniqueKey;

    QueryLevel(int uniqueKey) {
        this.uniqueKey = uniqueKey;
    }

    /** The tag of the level's unique key: Patient ID, Study / Series / SOP Instance UID. */
    public int uniqueKey() {
        return uniqueKey;
    }

    /** The level a Query/Retrieve Level (0008,0052) value names, or {@code null} for any other value. */
    public static QueryLevel ofCode(String code) {
        if (code == null) {
            return null;
        }
        for (QueryLevel level : values()) {
            if (level.name().equals(code)) {
                return level;
            }
        }
        return null;
    }
}
