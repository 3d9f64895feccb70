package io.dicomspanner.simulator.data;

import java.util.List;

/**
 * One person of the population, as the hospital that registered them knows them. Patient ID and Issuer of Patient
 * ID together identify the patient; the Patient ID alone may belong to another patient of another issuer.
 */
public final class PatientRecord {
    private final int index;
    private final String patientId;
    private final String issuerOfPatientId;
    private final String patientName;
    private final String patientBirthDate;
    private final String patientSex;
    private final int homePacs;
    private final PatientRecord sharesPatientIdWith;
    private List<StudyRecord> studies = List.of();

    PatientRecord(
            int index,
            String patientId,
            String issuerOfPatientId,
            String patientName,
            String patientBirthDate,
            String patientSex,
            int homePacs,
            PatientRecord sharesPatientIdWith) {
        this.index = index;
        this.patientId = patientId;
        this.issuerOfPatientId = issuerOfPatientId;
        this.patientName = patientName;
        this.patientBirthDate = patientBirthDate;
        this.patientSex = patientSex;
        this.homePacs = homePacs;
        this.sharesPatientIdWith = sharesPatientIdWith;
    }

    void setStudies(List<StudyRecord> value) {
        studies = List.copyOf(value);
    }

    /** Position in the population, from 0. */
    public int index() {
        return index;
    }

    public String patientId() {
        return patientId;
    }

    public String issuerOfPatientId() {
        return issuerOfPatientId;
    }

    /** PN in its full form, e.g. {@code Yamada^Tarou=山田^太郎=やまだ^たろう}. */
    public String patientName() {
        return patientName;
    }

    /** DA, {@code YYYYMMDD}. */
    public String patientBirthDate() {
        return patientBirthDate;
    }

    /** CS: {@code M}, {@code F} or {@code O}. */
    public String patientSex() {
        return patientSex;
    }

    /** The PACS of the site that sees this patient most; most of their studies are acquired there. */
    public int homePacs() {
        return homePacs;
    }

    /**
     * The earlier patient of another issuer whose Patient ID this patient also has, or {@code null}. Both have the
     * same home PACS, so that PACS holds two patients with one Patient ID.
     */
    public PatientRecord sharesPatientIdWith() {
        return sharesPatientIdWith;
    }

    /** The patient's studies, oldest first (undated ones last). */
    public List<StudyRecord> studies() {
        return studies;
    }

    @Override
    public String toString() {
        return "PatientRecord[" + index + "]";
    }
}
