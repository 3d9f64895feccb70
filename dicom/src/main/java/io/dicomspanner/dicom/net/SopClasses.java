package io.dicomspanner.dicom.net;

import java.util.List;

/** The SOP classes (abstract syntaxes) this network layer negotiates (PS3.4 Annex A and C). */
public final class SopClasses {
    public static final String VERIFICATION = "1.2.840.10008.1.1";
    public static final String PATIENT_ROOT_QUERY_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    public static final String STUDY_ROOT_QUERY_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    /** Retired in PS3.4 but still offered by some archives. */
    public static final String PATIENT_STUDY_ONLY_QUERY_FIND = "1.2.840.10008.5.1.4.1.2.3.1";

    /** The three C-FIND information models, in the order they are proposed. */
    public static final List<String> QUERY_FIND =
            List.of(STUDY_ROOT_QUERY_FIND, PATIENT_ROOT_QUERY_FIND, PATIENT_STUDY_ONLY_QUERY_FIND);

    private SopClasses() {}

    /** "Study Root Query/Retrieve - FIND" etc. for log lines; the UID itself for others. */
    public static String name(String uid) {
        return switch (uid) {
            case VERIFICATION -> "Verification";
            case PATIENT_ROOT_QUERY_FIND -> "Patient Root Query/Retrieve - FIND";
            case STUDY_ROOT_QUERY_FIND -> "Study Root Query/Retrieve - FIND";
            case PATIENT_STUDY_ONLY_QUERY_FIND -> "Patient/Study Only Query/Retrieve - FIND";
            default -> uid;
        };
    }
}
