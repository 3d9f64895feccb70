package io.dicomspanner.simulator.data;

/** One series of a study as acquired; a copy of the study may hold it in full, in part or not at all. */
public final class SeriesRecord {
    private final StudyRecord study;
    private final int index;
    private final int seriesNumber;
    private final SeriesKind kind;
    private final String seriesDescription;
    private final int numberOfInstances;
    private final int numberOfFrames;
    private final int minutesAfterStudyStart;

    SeriesRecord(
            StudyRecord study,
            int index,
            int seriesNumber,
            SeriesKind kind,
            String seriesDescription,
            int numberOfInstances,
            int numberOfFrames,
            int minutesAfterStudyStart) {
        this.study = study;
        this.index = index;
        this.seriesNumber = seriesNumber;
        this.kind = kind;
        this.seriesDescription = seriesDescription;
        this.numberOfInstances = numberOfInstances;
        this.numberOfFrames = numberOfFrames;
        this.minutesAfterStudyStart = minutesAfterStudyStart;
    }

    public StudyRecord study() {
        return study;
    }

    /** Position among all series of the fleet, from 0. */
    public int index() {
        return index;
    }

    public String seriesInstanceUid() {
        return study.fleetUids().series(index);
    }

    /** The SOP Instance UID of instance {@code instanceNumber} (1 to {@link #numberOfInstances()}). */
    public String sopInstanceUid(int instanceNumber) {
        if (instanceNumber < 1 || instanceNumber > numberOfInstances) {
            throw new IllegalArgumentException(
                    "instance number " + instanceNumber + " outside 1.." + numberOfInstances);
        }
        return study.fleetUids().instance(index, instanceNumber);
    }

    /** 1 for the first series of the study. */
    public int seriesNumber() {
        return seriesNumber;
    }

    public SeriesKind kind() {
        return kind;
    }

    public String modality() {
        return kind.modality;
    }

    public String sopClassUid() {
        return kind.sopClassUid;
    }

    public String seriesDescription() {
        return seriesDescription;
    }

    /** The instances acquired; a copy may hold fewer. */
    public int numberOfInstances() {
        return numberOfInstances;
    }

    /** Number of Frames of each instance, or 0 for single-frame instances and non-images. */
    public int numberOfFrames() {
        return numberOfFrames;
    }

    /** DA, or {@code null} when the study is undated. */
    public String seriesDate() {
        return study.dateTimePlusMinutes(minutesAfterStudyStart, true);
    }

    /** TM, or {@code null} when the study is undated. */
    public String seriesTime() {
        return study.dateTimePlusMinutes(minutesAfterStudyStart, false);
    }

    @Override
    public String toString() {
        return "SeriesRecord[" + index + "]";
    }
}
