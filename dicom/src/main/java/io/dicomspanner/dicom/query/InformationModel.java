package io.dicomspanner.dicom.query;

import io.dicomspanner.dicom.net.SopClasses;
import java.util.List;

/**
 * The C-FIND Query/Retrieve Information Models of PS3.4 C.6, the levels each has from the top, and the SOP Class of
 * its FIND service. The one definition every part uses: the C-FIND SCP, the simulated PACS, the worker choosing a
 * model for a source, and the admin API naming what a source answers.
 */
public enum InformationModel {
    PATIENT_ROOT(
            SopClasses.PATIENT_ROOT_QUERY_FIND,
            "Patient Root",
            List.of(QueryLevel.PATIENT, QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE)),
    STUDY_ROOT(
            SopClasses.STUDY_ROOT_QUERY_FIND,
            "Study Root",
            List.of(QueryLevel.STUDY, QueryLevel.SERIES, QueryLevel.IMAGE)),
    /** Retired in the standard, still proposed by older workstations. */
    PATIENT_STUDY_ONLY(
            SopClasses.PATIENT_STUDY_ONLY_QUERY_FIND,
            "Patient/Study Only",
            List.of(QueryLevel.PATIENT, QueryLevel.STUDY));

    private final String findSopClassUid;
    private final String displayName;
    private final List<QueryLevel> levels;

    InformationModel(String findSopClassUid, String displayName, List<QueryLevel> levels) {
        this.findSopClassUid = findSopClassUid;
        this.displayName = displayName;
        this.levels = levels;
    }

    /** The SOP Class UID of its FIND service (the abstract syntax an SCU proposes). */
    public String findSopClassUid() {
        return findSopClassUid;
    }

    /** Its name in PS3.4, for messages ("Study Root"). */
    public String displayName() {
        return displayName;
    }

    /** Its levels, from the top. */
    public List<QueryLevel> levels() {
        return levels;
    }

    public boolean hasLevel(QueryLevel level) {
        return levels.contains(level);
    }

    /**
     * Whether {@code code}, a Query/Retrieve Level (0008,0052) value as received, names one of its levels; any other
     * value ({@code "FOO"}, a level of another model) does not.
     */
    public boolean hasLevelCode(String code) {
        for (QueryLevel level : levels) {
            if (level.code().equals(code)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The level an attribute of {@code ownLevel} belongs to in this model: its own level where the model has it; for
     * patient attributes in a model without patient level, the top level (they are study attributes in the Study Root
     * model); {@code null} for series and image attributes in a model without those levels.
     */
    public QueryLevel levelOf(QueryLevel ownLevel) {
        if (hasLevel(ownLevel)) {
            return ownLevel;
        }
        return ownLevel == QueryLevel.PATIENT ? levels.get(0) : null;
    }

    /** The model whose FIND SOP Class UID this is, or {@code null}. */
    public static InformationModel ofFindSopClassUid(String uid) {
        for (InformationModel m : values()) {
            if (m.findSopClassUid.equals(uid)) {
                return m;
            }
        }
        return null;
    }
}
