package io.dicomspanner.simulator.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The copy of a study one PACS holds. The primary copy is complete; a replica may lack series (those not in its
 * series set) or images (one series cut short), may have been stored without Study Description and Referring
 * Physician's Name, and may be filed under another Patient ID (a conflicting copy).
 */
public final class StudyCopy {
    private final StudyRecord study;
    private final int pacs;
    private final boolean primary;
    private final long heldSeries;
    private final int cutSeriesNumber;
    private final int instancesOfCutSeries;
    private final boolean withoutDescriptions;
    private final String conflictingPatientId;
    private final int numberOfSeries;
    private final int numberOfInstances;
    private PacsPatient holder;

    StudyCopy(
            StudyRecord study,
            int pacs,
            boolean primary,
            long heldSeries,
            int cutSeriesNumber,
            int instancesOfCutSeries,
            boolean withoutDescriptions,
            String conflictingPatientId) {
        this.study = study;
        this.pacs = pacs;
        this.primary = primary;
        this.heldSeries = heldSeries;
        this.cutSeriesNumber = cutSeriesNumber;
        this.instancesOfCutSeries = instancesOfCutSeries;
        this.withoutDescriptions = withoutDescriptions;
        this.conflictingPatientId = conflictingPatientId;
        int seriesCount = 0;
        int instanceCount = 0;
        for (SeriesRecord s : study.series()) {
            int n = numberOfInstances(s);
            if (n > 0) {
                seriesCount++;
                instanceCount += n;
            }
        }
        this.numberOfSeries = seriesCount;
        this.numberOfInstances = instanceCount;
    }

    /** A complete copy: every series, every instance, every attribute. */
    static long allSeries(int seriesCount) {
        return seriesCount == Long.SIZE ? -1L : (1L << seriesCount) - 1;
    }

    void setHolder(PacsPatient value) {
        holder = value;
    }

    public StudyRecord study() {
        return study;
    }

    /** Index of the PACS holding this copy. */
    public int pacs() {
        return pacs;
    }

    /** Whether this is the copy on the PACS where the study was acquired. */
    public boolean isPrimary() {
        return primary;
    }

    /** Whether this copy holds every series and every instance of the study. */
    public boolean isComplete() {
        return numberOfInstances == study.numberOfInstances();
    }

    /** The patient this PACS files the copy under. */
    public PacsPatient holder() {
        return holder;
    }

    /** The Patient ID this PACS files the copy under: the patient's, or the conflicting one. */
    public String patientId() {
        return conflictingPatientId != null
                ? conflictingPatientId
                : study.patient().patientId();
    }

    /** Whether this PACS files the copy under another Patient ID than the other copies. */
    public boolean isConflicting() {
        return conflictingPatientId != null;
    }

    /** Study Description as this PACS stored it, or {@code null} if it did not. */
    public String studyDescription() {
        return withoutDescriptions ? null : study.studyDescription();
    }

    /** Referring Physician's Name as this PACS stored it (possibly empty), or {@code null} if it did not. */
    public String referringPhysicianName() {
        return withoutDescriptions ? null : study.referringPhysicianName();
    }

    /** Whether the copy was stored without Study Description and Referring Physician's Name. */
    public boolean isWithoutDescriptions() {
        return withoutDescriptions;
    }

    /** How many instances of {@code series} this copy holds: 0 if none or if the series is of another study. */
    public int numberOfInstances(SeriesRecord series) {
        if (series.study() != study || (heldSeries & (1L << (series.seriesNumber() - 1))) == 0) {
            return 0;
        }
        return series.seriesNumber() == cutSeriesNumber ? instancesOfCutSeries : series.numberOfInstances();
    }

    /** The series this copy holds (at least one instance of), in series number order. */
    public List<SeriesRecord> series() {
        List<SeriesRecord> held = new ArrayList<>(numberOfSeries);
        for (SeriesRecord s : study.series()) {
            if (numberOfInstances(s) > 0) {
                held.add(s);
            }
        }
        return held;
    }

    /** Number of Study Related Series of this copy. */
    public int numberOfSeries() {
        return numberOfSeries;
    }

    /** Number of Study Related Instances of this copy. */
    public int numberOfInstances() {
        return numberOfInstances;
    }

    /** Modalities in Study of this copy: the distinct modalities of the series it holds, alphabetically. */
    public List<String> modalitiesInStudy() {
        List<String> modalities = new ArrayList<>();
        for (SeriesRecord s : study.series()) {
            if (numberOfInstances(s) > 0 && !modalities.contains(s.modality())) {
                modalities.add(s.modality());
            }
        }
        Collections.sort(modalities);
        return modalities;
    }

    /** SOP Classes in Study of this copy, in UID order. */
    public List<String> sopClassesInStudy() {
        List<String> classes = new ArrayList<>();
        for (SeriesRecord s : study.series()) {
            if (numberOfInstances(s) > 0 && !classes.contains(s.sopClassUid())) {
                classes.add(s.sopClassUid());
            }
        }
        Collections.sort(classes);
        return classes;
    }

    @Override
    public String toString() {
        return "StudyCopy[study " + study.index() + " on PACS " + pacs + "]";
    }
}
