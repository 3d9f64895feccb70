package io.dicomspanner.simulator.data;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One study as acquired: its values, its series, and the copies the PACS of the fleet hold of it (the first copy is
 * the primary one, on the PACS where it was acquired; the others are replicas).
 */
public final class StudyRecord {
    static final int UNDATED = Integer.MAX_VALUE;
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

    private final FleetUids uids;
    private final int index;
    private final PatientRecord patient;
    private final StudyType type;
    private final StudyType.Procedure procedure;
    private final int epochDay;
    private final int secondOfDay;
    private final String accessionNumber;
    private final String studyId;
    private final String referringPhysicianName;
    private List<SeriesRecord> series = List.of();
    /** At most three (a primary and up to two replicas): looked through, not indexed by PACS, so a fleet of hundreds
     * of PACS costs a study no slot per PACS. */
    private List<StudyCopy> copies = List.of();

    StudyRecord(
            FleetUids uids,
            int index,
            PatientRecord patient,
            StudyType type,
            StudyType.Procedure procedure,
            int epochDay,
            int secondOfDay,
            String accessionNumber,
            String studyId,
            String referringPhysicianName) {
        this.uids = uids;
        this.index = index;
        this.patient = patient;
        this.type = type;
        this.procedure = procedure;
        this.epochDay = epochDay;
        this.secondOfDay = secondOfDay;
        this.accessionNumber = accessionNumber;
        this.studyId = studyId;
        this.referringPhysicianName = referringPhysicianName;
    }

    void setSeries(List<SeriesRecord> value) {
        series = List.copyOf(value);
    }

    void setCopies(List<StudyCopy> value) {
        copies = List.copyOf(value);
    }

    FleetUids fleetUids() {
        return uids;
    }

    /** Position among all studies of the fleet, from 0. */
    public int index() {
        return index;
    }

    public String studyInstanceUid() {
        return uids.study(index);
    }

    public PatientRecord patient() {
        return patient;
    }

    public StudyType type() {
        return type;
    }

    public boolean isDated() {
        return epochDay != UNDATED;
    }

    /** Days since 1970-01-01, or {@link Integer#MAX_VALUE} when undated (so undated studies sort last). */
    int epochDay() {
        return epochDay;
    }

    int secondOfDay() {
        return secondOfDay;
    }

    /** DA, or {@code null} when the study has no date. */
    public String studyDate() {
        return dateTimePlusMinutes(0, true);
    }

    /** TM, or {@code null} when the study has no date (its time is gone too). */
    public String studyTime() {
        return dateTimePlusMinutes(0, false);
    }

    String dateTimePlusMinutes(int minutes, boolean date) {
        if (!isDated()) {
            return null;
        }
        LocalDateTime t = LocalDate.ofEpochDay(epochDay).atStartOfDay().plusSeconds(secondOfDay + 60L * minutes);
        return t.format(date ? DA : TM);
    }

    public String accessionNumber() {
        return accessionNumber;
    }

    public String studyId() {
        return studyId;
    }

    public String studyDescription() {
        return procedure.description();
    }

    public String bodyPartExamined() {
        return procedure.bodyPart();
    }

    /** PN, or the empty string when no referring physician was recorded. */
    public String referringPhysicianName() {
        return referringPhysicianName;
    }

    /** All series acquired, in series number order. */
    public List<SeriesRecord> series() {
        return series;
    }

    /** All copies: the primary copy first, then the replicas. */
    public List<StudyCopy> copies() {
        return copies;
    }

    /** The copy PACS number {@code pacs} holds, or {@code null}. */
    public StudyCopy copyOn(int pacs) {
        for (StudyCopy c : copies) {
            if (c.pacs() == pacs) {
                return c;
            }
        }
        return null;
    }

    /** The distinct modalities of all series acquired, alphabetically. */
    public List<String> modalitiesInStudy() {
        List<String> modalities = new ArrayList<>();
        for (SeriesRecord s : series) {
            if (!modalities.contains(s.modality())) {
                modalities.add(s.modality());
            }
        }
        Collections.sort(modalities);
        return modalities;
    }

    /** All instances acquired. */
    public int numberOfInstances() {
        int n = 0;
        for (SeriesRecord s : series) {
            n += s.numberOfInstances();
        }
        return n;
    }

    @Override
    public String toString() {
        return "StudyRecord[" + index + "]";
    }
}
