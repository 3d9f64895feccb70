package io.dicomspanner.dicom.query;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;

/**
 * The levels of the Query/Retrieve information models (PS3.4 C.6.1.1, C.6.2.1), in hierarchy order: a level's
 * {@link #ordinal()} grows downwards, so {@code PATIENT} is above {@code STUDY}.
 *
 * <p>QIDO-RS knows three of them as resources: {@code studies} = {@link #STUDY}, {@code series} = {@link #SERIES},
 * {@code instances} = {@link #IMAGE} (the C-FIND name is historical and covers every composite instance).
 */
public enum QueryLevel {
    PATIENT("PATIENT", null, Tag.PATIENT_ID, Tag.ISSUER_OF_PATIENT_ID),
    STUDY("STUDY", "studies", Tag.STUDY_INSTANCE_UID),
    SERIES("SERIES", "series", Tag.SERIES_INSTANCE_UID),
    IMAGE("IMAGE", "instances", Tag.SOP_INSTANCE_UID);

    /** Separates Patient ID from its issuer in a patient key; a backslash never occurs inside one LO value. */
    private static final char PATIENT_KEY_SEPARATOR = '\\';

    private final String code;
    private final String qidoName;
    private final int[] uniqueKeyTags;

    QueryLevel(String code, String qidoName, int... uniqueKeyTags) {
        this.code = code;
        this.qidoName = qidoName;
        this.uniqueKeyTags = uniqueKeyTags;
    }

    /** The value of Query/Retrieve Level (0008,0052) for this level. */
    public String code() {
        return code;
    }

    /** The QIDO-RS resource name ({@code studies}, {@code series}, {@code instances}); {@code null} for PATIENT. */
    public String qidoName() {
        return qidoName;
    }

    /**
     * The attributes that identify one entity at this level. One unique key per level (PS3.4 C.2.2.1.1), except that
     * a Patient ID is only unique within its Issuer of Patient ID, so the patient key is the pair.
     */
    public int[] uniqueKeyTags() {
        return uniqueKeyTags.clone();
    }

    /** True when this level lies above {@code other} in the hierarchy (PATIENT is above STUDY). */
    public boolean isAbove(QueryLevel other) {
        return ordinal() < other.ordinal();
    }

    /**
     * The unique key of the entity {@code record} describes at this level, as one string fit for a hash key, or
     * {@code null} when the record lacks it (an empty Patient ID or UID identifies nothing). A patient's key is its
     * Patient ID and Issuer of Patient ID; a missing issuer counts as empty, so copies from PACS that do not know the
     * issuer meet under one key, and copies with different issuers stay apart.
     */
    public String uniqueKeyOf(Attributes record) {
        String id = record.getString(uniqueKeyTags[0]);
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (this != PATIENT) {
            return id;
        }
        String issuer = record.getString(Tag.ISSUER_OF_PATIENT_ID);
        return issuer == null ? id + PATIENT_KEY_SEPARATOR : id + PATIENT_KEY_SEPARATOR + issuer;
    }

    /**
     * The level named by a Query/Retrieve Level value ({@code PATIENT}, {@code STUDY}, {@code SERIES}, {@code IMAGE});
     * padding spaces are ignored, as on the wire.
     *
     * @throws IllegalArgumentException for any other value (the message quotes it: it is a code, never PHI)
     */
    public static QueryLevel ofCode(String code) {
        String trimmed = code == null ? "" : code.trim();
        for (QueryLevel level : values()) {
            if (level.code.equals(trimmed)) {
                return level;
            }
        }
        throw new IllegalArgumentException("not a Query/Retrieve Level: '" + trimmed + "'");
    }

    /**
     * The level of a QIDO-RS resource name: {@code studies}, {@code series} or {@code instances}, spelled as PS3.18
     * spells the path segments (lower case).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static QueryLevel ofQidoName(String name) {
        for (QueryLevel level : values()) {
            if (level.qidoName != null && level.qidoName.equals(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException("not a QIDO-RS resource: '" + name + "'");
    }
}
