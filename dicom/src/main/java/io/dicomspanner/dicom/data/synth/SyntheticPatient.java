package io.dicomspanner.dicom.data.synth;

import java.util.List;

/**
 * One generated patient with the patient-level values every instance of its studies carries.
 *
 * @param patientName PN in its full form, e.g. {@code Yamada^Tarou=山田^太郎=やまだ^たろう}
 * @param patientBirthDate DA ({@code YYYYMMDD})
 * @param patientSex CS: {@code M}, {@code F} or {@code O}
 */
public record SyntheticPatient(
        String patientId,
        String issuerOfPatientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        List<SyntheticStudy> studies) {

    public SyntheticPatient {
        studies = List.copyOf(studies);
    }
}
