package io.dicomspanner.common.phi;

import java.util.Optional;

/**
 * The patient-identifying attributes that never leave a service in clear text: logs, the query log and the audit
 * trail carry their {@link PhiTokenizer} tokens instead. Each is named by its PS3.6 keyword.
 */
public enum PhiAttribute {
    PATIENT_ID("PatientID"),
    PATIENT_NAME("PatientName"),
    PATIENT_BIRTH_DATE("PatientBirthDate"),
    PATIENT_BIRTH_TIME("PatientBirthTime"),
    ISSUER_OF_PATIENT_ID("IssuerOfPatientID"),
    OTHER_PATIENT_IDS("OtherPatientIDs"),
    OTHER_PATIENT_NAMES("OtherPatientNames"),
    PATIENT_BIRTH_NAME("PatientBirthName"),
    PATIENT_MOTHER_BIRTH_NAME("PatientMotherBirthName"),
    PATIENT_ADDRESS("PatientAddress"),
    PATIENT_TELEPHONE_NUMBERS("PatientTelephoneNumbers");

    private final String keyword;

    PhiAttribute(String keyword) {
        this.keyword = keyword;
    }

    /** The PS3.6 keyword, e.g. {@code PatientID}. */
    public String keyword() {
        return keyword;
    }

    /** The PHI attribute a keyword names (case-sensitive, as PS3.6 spells it), or empty if it is not PHI. */
    public static Optional<PhiAttribute> ofKeyword(String keyword) {
        for (PhiAttribute attribute : values()) {
            if (attribute.keyword.equals(keyword)) {
                return Optional.of(attribute);
            }
        }
        return Optional.empty();
    }

    /** Person names compare equal without trailing empty components ("DOE^JOHN^^" is "DOE^JOHN"). */
    boolean isPersonName() {
        return this == PATIENT_NAME
                || this == OTHER_PATIENT_NAMES
                || this == PATIENT_BIRTH_NAME
                || this == PATIENT_MOTHER_BIRTH_NAME;
    }
}
