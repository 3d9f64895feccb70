package io.dicomspanner.simulator.config;

import java.util.function.Consumer;

/**
 * What the simulated fleet holds: the patients, their studies, and how the studies are spread over the PACS. The
 * same settings and seed always give the same fleet (see {@code docs/simulator.md}).
 *
 * <p>All shares are probabilities in [0, 1], drawn independently per patient, study or copy from the seed.
 *
 * @param seed the seed every value derives from. Default {@value #DEFAULT_SEED}.
 * @param patients number of patients. Default {@value #DEFAULT_PATIENTS} (enterprise scale).
 * @param minStudiesPerPatient fewest studies a patient has. Default {@value #DEFAULT_MIN_STUDIES_PER_PATIENT}.
 * @param maxStudiesPerPatient most studies a patient has (at most {@value #MAX_STUDIES_PER_PATIENT}). Default
 *     {@value #DEFAULT_MAX_STUDIES_PER_PATIENT}.
 * @param foreignStudyShare share of a patient's studies after the first that were acquired on another PACS than the
 *     patient's home PACS (the patient was seen at another site); the first is always acquired at home. Default
 *     {@value #DEFAULT_FOREIGN_STUDY_SHARE}.
 * @param replicatedStudyShare share of studies that also have copies on other PACS (2 or 3 copies in all). Default
 *     {@value #DEFAULT_REPLICATED_STUDY_SHARE}.
 * @param thirdCopyShare share of the replicated studies that have 3 copies rather than 2. Default
 *     {@value #DEFAULT_THIRD_COPY_SHARE}.
 * @param incompleteReplicaShare share of replica copies that lack some series or some images (a transfer that was
 *     cut short or is still running). A copy of a one-image study cannot lack anything and stays complete. Default
 *     {@value #DEFAULT_INCOMPLETE_REPLICA_SHARE}.
 * @param replicaWithoutDescriptionsShare share of replica copies stored without Study Description and Referring
 *     Physician's Name (the forwarding node dropped them). Default
 *     {@value #DEFAULT_REPLICA_WITHOUT_DESCRIPTIONS_SHARE}.
 * @param reusedPatientIdShare share of patients whose Patient ID is also the Patient ID of an unrelated patient of
 *     another issuer (hospitals numbering patients independently); both are then held by one PACS. Default
 *     {@value #DEFAULT_REUSED_PATIENT_ID_SHARE}.
 * @param undatedStudyShare share of studies without Study Date, Study Time, Series Date and Series Time. Default
 *     {@value #DEFAULT_UNDATED_STUDY_SHARE}.
 * @param conflictingCopyShare share of replicated studies whose copy on one replica PACS is filed under another
 *     Patient ID (a temporary ID never reconciled there): same Study Instance UID, different Patient ID. Default
 *     {@value #DEFAULT_CONFLICTING_COPY_SHARE}.
 */
public record PopulationSettings(
        long seed,
        int patients,
        int minStudiesPerPatient,
        int maxStudiesPerPatient,
        double foreignStudyShare,
        double replicatedStudyShare,
        double thirdCopyShare,
        double incompleteReplicaShare,
        double replicaWithoutDescriptionsShare,
        double reusedPatientIdShare,
        double undatedStudyShare,
        double conflictingCopyShare) {

    public static final long DEFAULT_SEED = 20_240_601L;
    public static final int DEFAULT_PATIENTS = 30_000;
    public static final int DEFAULT_MIN_STUDIES_PER_PATIENT = 1;
    public static final int DEFAULT_MAX_STUDIES_PER_PATIENT = 5;
    public static final double DEFAULT_FOREIGN_STUDY_SHARE = 0.15;
    public static final double DEFAULT_REPLICATED_STUDY_SHARE = 0.30;
    public static final double DEFAULT_THIRD_COPY_SHARE = 0.40;
    public static final double DEFAULT_INCOMPLETE_REPLICA_SHARE = 0.25;
    public static final double DEFAULT_REPLICA_WITHOUT_DESCRIPTIONS_SHARE = 0.15;
    public static final double DEFAULT_REUSED_PATIENT_ID_SHARE = 0.02;
    public static final double DEFAULT_UNDATED_STUDY_SHARE = 0.01;
    public static final double DEFAULT_CONFLICTING_COPY_SHARE = 0.01;

    /** Most studies one patient may have: beyond that the per-patient counts stop looking like a real archive. */
    public static final int MAX_STUDIES_PER_PATIENT = 20;

    /** Most patients a fleet may have: about 3 GB of heap at the default shape, far beyond any demo or benchmark. */
    public static final int MAX_PATIENTS = 1_000_000;

    public PopulationSettings {
        if (patients < 1 || patients > MAX_PATIENTS) {
            throw new IllegalArgumentException("patients must be in [1, " + MAX_PATIENTS + "], was " + patients);
        }
        if (minStudiesPerPatient < 1 || maxStudiesPerPatient < minStudiesPerPatient) {
            throw new IllegalArgumentException("studies per patient must satisfy 1 <= min <= max, was "
                    + minStudiesPerPatient + ".." + maxStudiesPerPatient);
        }
        if (maxStudiesPerPatient > MAX_STUDIES_PER_PATIENT) {
            throw new IllegalArgumentException("maxStudiesPerPatient must be at most " + MAX_STUDIES_PER_PATIENT
                    + ", was " + maxStudiesPerPatient);
        }
        requireShare("foreignStudyShare", foreignStudyShare);
        requireShare("replicatedStudyShare", replicatedStudyShare);
        requireShare("thirdCopyShare", thirdCopyShare);
        requireShare("incompleteReplicaShare", incompleteReplicaShare);
        requireShare("replicaWithoutDescriptionsShare", replicaWithoutDescriptionsShare);
        requireShare("reusedPatientIdShare", reusedPatientIdShare);
        requireShare("undatedStudyShare", undatedStudyShare);
        requireShare("conflictingCopyShare", conflictingCopyShare);
    }

    /** The defaults listed above. */
    public static PopulationSettings defaults() {
        return new PopulationSettings(
                DEFAULT_SEED,
                DEFAULT_PATIENTS,
                DEFAULT_MIN_STUDIES_PER_PATIENT,
                DEFAULT_MAX_STUDIES_PER_PATIENT,
                DEFAULT_FOREIGN_STUDY_SHARE,
                DEFAULT_REPLICATED_STUDY_SHARE,
                DEFAULT_THIRD_COPY_SHARE,
                DEFAULT_INCOMPLETE_REPLICA_SHARE,
                DEFAULT_REPLICA_WITHOUT_DESCRIPTIONS_SHARE,
                DEFAULT_REUSED_PATIENT_ID_SHARE,
                DEFAULT_UNDATED_STUDY_SHARE,
                DEFAULT_CONFLICTING_COPY_SHARE);
    }

    public PopulationSettings withSeed(long value) {
        return change(c -> c.seed = value);
    }

    public PopulationSettings withPatients(int value) {
        return change(c -> c.patients = value);
    }

    public PopulationSettings withReplicatedStudyShare(double value) {
        return change(c -> c.replicatedStudyShare = value);
    }

    public PopulationSettings withConflictingCopyShare(double value) {
        return change(c -> c.conflictingCopyShare = value);
    }

    /** A copy with what {@code edit} changes; the canonical constructor validates the result as always. */
    private PopulationSettings change(Consumer<Copy> edit) {
        Copy copy = new Copy(this);
        edit.accept(copy);
        return copy.build();
    }

    /** The components as mutable fields, so each wither is one assignment. */
    private static final class Copy {
        long seed;
        int patients;
        int minStudiesPerPatient;
        int maxStudiesPerPatient;
        double foreignStudyShare;
        double replicatedStudyShare;
        double thirdCopyShare;
        double incompleteReplicaShare;
        double replicaWithoutDescriptionsShare;
        double reusedPatientIdShare;
        double undatedStudyShare;
        double conflictingCopyShare;

        Copy(PopulationSettings s) {
            seed = s.seed;
            patients = s.patients;
            minStudiesPerPatient = s.minStudiesPerPatient;
            maxStudiesPerPatient = s.maxStudiesPerPatient;
            foreignStudyShare = s.foreignStudyShare;
            replicatedStudyShare = s.replicatedStudyShare;
            thirdCopyShare = s.thirdCopyShare;
            incompleteReplicaShare = s.incompleteReplicaShare;
            replicaWithoutDescriptionsShare = s.replicaWithoutDescriptionsShare;
            reusedPatientIdShare = s.reusedPatientIdShare;
            undatedStudyShare = s.undatedStudyShare;
            conflictingCopyShare = s.conflictingCopyShare;
        }

        PopulationSettings build() {
            return new PopulationSettings(
                    seed,
                    patients,
                    minStudiesPerPatient,
                    maxStudiesPerPatient,
                    foreignStudyShare,
                    replicatedStudyShare,
                    thirdCopyShare,
                    incompleteReplicaShare,
                    replicaWithoutDescriptionsShare,
                    reusedPatientIdShare,
                    undatedStudyShare,
                    conflictingCopyShare);
        }
    }

    private static void requireShare(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
        }
    }
}
