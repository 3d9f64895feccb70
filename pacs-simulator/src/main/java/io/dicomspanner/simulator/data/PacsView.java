package io.dicomspanner.simulator.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one PACS of the fleet holds: its study copies and the patients it files them under, with the indexes a PACS
 * database would have (by Patient ID, by UID through the fleet, by Study Date).
 *
 * <p>Immutable and safe to share between threads once built.
 */
public final class PacsView {
    private final FleetDataset fleet;
    private final int pacs;
    private final List<StudyCopy> studiesByDate;
    private final int[] days;
    private final List<PacsPatient> patients;
    private final Map<String, List<PacsPatient>> patientsById;
    private final int numberOfInstances;

    PacsView(FleetDataset fleet, int pacs) {
        this.fleet = fleet;
        this.pacs = pacs;
        Map<String, List<StudyCopy>> byPatientKey = new LinkedHashMap<>();
        Map<String, PatientRecord> personByKey = new HashMap<>();
        List<StudyCopy> held = new ArrayList<>();
        int instances = 0;
        for (StudyRecord study : fleet.studies()) {
            StudyCopy copy = study.copyOn(pacs);
            if (copy == null) {
                continue;
            }
            held.add(copy);
            instances += copy.numberOfInstances();
            String key = copy.patientId() + '\\' + study.patient().issuerOfPatientId();
            byPatientKey.computeIfAbsent(key, k -> new ArrayList<>()).add(copy);
            personByKey.putIfAbsent(key, study.patient());
        }
        List<PacsPatient> list = new ArrayList<>(byPatientKey.size());
        Map<String, List<PacsPatient>> byId = new HashMap<>();
        for (Map.Entry<String, List<StudyCopy>> e : byPatientKey.entrySet()) {
            List<StudyCopy> copies = e.getValue();
            PacsPatient patient =
                    new PacsPatient(personByKey.get(e.getKey()), copies.get(0).patientId(), copies);
            for (StudyCopy c : copies) {
                c.setHolder(patient);
            }
            list.add(patient);
            byId.computeIfAbsent(patient.patientId(), k -> new ArrayList<>()).add(patient);
        }
        list.sort(Comparator.comparing(PacsPatient::patientId).thenComparing(PacsPatient::issuerOfPatientId));
        for (List<PacsPatient> sameId : byId.values()) {
            sameId.sort(Comparator.comparing(PacsPatient::issuerOfPatientId));
        }
        this.patients = List.copyOf(list);
        Map<String, List<PacsPatient>> frozen = new HashMap<>();
        byId.forEach((id, sameId) -> frozen.put(id, List.copyOf(sameId)));
        this.patientsById = Collections.unmodifiableMap(frozen);
        held.sort(Comparator.comparingInt((StudyCopy c) -> c.study().epochDay())
                .thenComparingInt(c -> c.study().secondOfDay())
                .thenComparingInt(c -> c.study().index()));
        this.studiesByDate = List.copyOf(held);
        this.days = new int[held.size()];
        for (int i = 0; i < days.length; i++) {
            days[i] = held.get(i).study().epochDay();
        }
        this.numberOfInstances = instances;
    }

    public FleetDataset fleet() {
        return fleet;
    }

    /** Index of this PACS in the fleet. */
    public int pacs() {
        return pacs;
    }

    /** Every copy held, oldest study first, undated studies last. */
    public List<StudyCopy> studies() {
        return studiesByDate;
    }

    /**
     * The copies of studies dated from {@code firstDay} to {@code lastDay} (days since 1970-01-01, inclusive), oldest
     * first. Undated studies are never among them.
     */
    public List<StudyCopy> studiesDated(long firstDay, long lastDay) {
        int from = lowerBound(firstDay);
        int to = lowerBound(Math.min(lastDay, StudyRecord.UNDATED - 1L) + 1);
        return from >= to ? List.of() : studiesByDate.subList(from, to);
    }

    /** The position of the first copy dated {@code day} or later. */
    private int lowerBound(long day) {
        int lo = 0;
        int hi = days.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (days[mid] < day) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Every patient this PACS files studies under, by Patient ID, then Issuer of Patient ID. */
    public List<PacsPatient> patients() {
        return patients;
    }

    /** The patients with this Patient ID (one per issuer), or none. */
    public List<PacsPatient> patientsWithId(String patientId) {
        return patientsById.getOrDefault(patientId, List.of());
    }

    /** The copy of the study with this UID this PACS holds, or {@code null}. */
    public StudyCopy studyCopy(String studyInstanceUid) {
        StudyRecord study = fleet.studyByUid(studyInstanceUid);
        return study == null ? null : study.copyOn(pacs);
    }

    /** The series with this UID if this PACS holds at least one of its instances, else {@code null}. */
    public SeriesRecord series(String seriesInstanceUid) {
        SeriesRecord series = fleet.seriesByUid(seriesInstanceUid);
        if (series == null) {
            return null;
        }
        StudyCopy copy = series.study().copyOn(pacs);
        return copy != null && copy.numberOfInstances(series) > 0 ? series : null;
    }

    /** The instance with this UID if this PACS holds it, else {@code null}. */
    public InstanceRef instance(String sopInstanceUid) {
        InstanceRef instance = fleet.instanceByUid(sopInstanceUid);
        if (instance == null) {
            return null;
        }
        StudyCopy copy = instance.series().study().copyOn(pacs);
        return copy != null && instance.instanceNumber() <= copy.numberOfInstances(instance.series()) ? instance : null;
    }

    /** Instances held, over all copies. */
    public int numberOfInstances() {
        return numberOfInstances;
    }

    @Override
    public String toString() {
        return "PacsView[" + pacs + ": " + studiesByDate.size() + " studies]";
    }
}
