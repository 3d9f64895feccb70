package io.dicomspanner.simulator.data;

import java.util.List;

/**
 * A patient as one PACS knows them: the Patient ID and Issuer of Patient ID the PACS files studies under, the
 * demographics, and the study copies it holds for them. A conflicting copy makes a patient of its own, under the
 * conflicting Patient ID.
 */
public final class PacsPatient {
    private final PatientRecord person;
    private final String patientId;
    private final List<StudyCopy> studies;
    private final int numberOfSeries;
    private final int numberOfInstances;

    PacsPatient(PatientRecord person, String patientId, List<StudyCopy> studies) {
        this.person = person;
        this.patientId = patientId;
        this.studies = List.copyOf(studies);
        int series = 0;
        int instances = 0;
        for (StudyCopy c : this.studies) {
            series += c.numberOfSeries();
            instances += c.numberOfInstances();
        }
        this.numberOfSeries = series;
        this.numberOfInstances = instances;
    }

    /** The person of the population these studies belong to. */
    public PatientRecord person() {
        return person;
    }

    public String patientId() {
        return patientId;
    }

    public String issuerOfPatientId() {
        return person.issuerOfPatientId();
    }

    public String patientName() {
        return person.patientName();
    }

    public String patientBirthDate() {
        return person.patientBirthDate();
    }

    public String patientSex() {
        return person.patientSex();
    }

    /** The copies this PACS files under this patient, oldest first (undated ones last). */
    public List<StudyCopy> studies() {
        return studies;
    }

    /** Number of Patient Related Studies on this PACS. */
    public int numberOfStudies() {
        return studies.size();
    }

    /** Number of Patient Related Series on this PACS. */
    public int numberOfSeries() {
        return numberOfSeries;
    }

    /** Number of Patient Related Instances on this PACS. */
    public int numberOfInstances() {
        return numberOfInstances;
    }

    @Override
    public String toString() {
        return "PacsPatient[person " + person.index() + "]";
    }
}
