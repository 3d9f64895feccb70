package io.dicomspanner.simulator.data;

import io.dicomspanner.simulator.config.PopulationSettings;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The data of a simulated PACS fleet: a population of patients with their studies, series and instances, and which
 * PACS holds which copy of each study. Everything derives from the {@link PopulationSettings} (seed included) and the
 * number of PACS, so a test can rebuild the fleet and compute any expected answer on its own.
 *
 * <p>Instances are not stored: a series knows how many it has, and their UIDs derive from the series' index (see
 * {@link FleetUids}), so 30,000 patients with millions of instances take tens of megabytes.
 *
 * <p>Draws come from separate seeded streams per patient, per study and per placement, so patient {@code k} and
 * their studies are the same whatever the number of patients; what the PACS hold of them depends on the number of
 * PACS too. Rules (the shares are the settings'):
 *
 * <ul>
 *   <li>A patient has an issuer (one of {@link #ISSUERS}) and a home PACS. Their first study is acquired there; each
 *       later one at another PACS with the foreign study share.
 *   <li>A patient may take the Patient ID of an earlier patient of another issuer (reused Patient ID share); they
 *       then have that patient's home PACS, so it holds both.
 *   <li>A study has one copy on the PACS where it was acquired and, with the replicated study share, one or two
 *       replicas on other PACS (two with the third copy share, if the fleet has three PACS or more). A replica lacks
 *       series or images with the incomplete replica share, lacks Study Description and Referring Physician's Name
 *       with the replica-without-descriptions share, and, for the conflicting copy share of replicated studies, the
 *       first replica is filed under a temporary Patient ID ({@code TMP} + 7 digits).
 *   <li>With the undated study share a study has no Study Date, Study Time, Series Date or Series Time.
 * </ul>
 */
public final class FleetDataset {

    /** The issuers of Patient IDs: the hospitals of the region. */
    public static final List<String> ISSUERS = List.of("HOSP_A", "HOSP_B", "CLINIC_NORTH", "RADIOLOGY_EAST");

    /** Studies are dated from this day ... */
    public static final LocalDate FIRST_STUDY_DATE = LocalDate.of(2012, 1, 1);

    /** ... to this one, inclusive. */
    public static final LocalDate LAST_STUDY_DATE = LocalDate.of(2025, 6, 30);

    private static final LocalDate FIRST_BIRTH_DATE = LocalDate.of(1930, 1, 1);
    private static final LocalDate LAST_BIRTH_DATE = LocalDate.of(2005, 12, 31);
    private static final int FIRST_STUDY_SECOND = 7 * 3600;
    private static final int STUDY_SECONDS_RANGE = 13 * 3600;
    private static final int MINUTES_BETWEEN_SERIES = 3;
    private static final int PATIENT_ID_SPACE = 9_000_000;
    private static final long PATIENT_ID_STRIDE = 7_654_321L;
    private static final int ACCESSION_SPACE = 1_000_000_000;
    private static final long ACCESSION_STRIDE = 48_271L;
    private static final int REUSE_LOOKBACK = 1_000;
    private static final int REUSE_TRIES = 8;

    private static final long PATIENT_STREAM = 1;
    private static final long STUDY_STREAM = 2;
    private static final long PLACEMENT_STREAM = 3;
    private static final long ID_OFFSET_STREAM = 4;
    private static final long ACCESSION_OFFSET_STREAM = 5;

    private final PopulationSettings settings;
    private final int pacsCount;
    private final FleetUids uids;
    private final List<PatientRecord> patients;
    private final List<StudyRecord> studies;
    private final List<SeriesRecord> series;
    private final List<PacsView> views;

    private FleetDataset(
            PopulationSettings settings,
            int pacsCount,
            FleetUids uids,
            List<PatientRecord> patients,
            List<StudyRecord> studies,
            List<SeriesRecord> series) {
        this.settings = settings;
        this.pacsCount = pacsCount;
        this.uids = uids;
        this.patients = List.copyOf(patients);
        this.studies = List.copyOf(studies);
        this.series = List.copyOf(series);
        List<PacsView> v = new ArrayList<>(pacsCount);
        for (int pacs = 0; pacs < pacsCount; pacs++) {
            v.add(new PacsView(this, pacs));
        }
        this.views = List.copyOf(v);
    }

    /** Generates the fleet of {@code pacsCount} PACS that {@code settings} describe. */
    public static FleetDataset generate(PopulationSettings settings, int pacsCount) {
        if (pacsCount < 1) {
            throw new IllegalArgumentException("a fleet has at least one PACS, was " + pacsCount);
        }
        return new Generator(settings, pacsCount).run();
    }

    public PopulationSettings settings() {
        return settings;
    }

    public int pacsCount() {
        return pacsCount;
    }

    public List<PatientRecord> patients() {
        return patients;
    }

    /** All studies, patient by patient, each patient's oldest first. */
    public List<StudyRecord> studies() {
        return studies;
    }

    /** All series, study by study. */
    public List<SeriesRecord> series() {
        return series;
    }

    /** What PACS number {@code pacs} holds. */
    public PacsView view(int pacs) {
        return views.get(pacs);
    }

    public List<PacsView> views() {
        return views;
    }

    /** The study with this Study Instance UID, or {@code null} if the fleet has none. */
    public StudyRecord studyByUid(String studyInstanceUid) {
        long index = uids.studyIndexOf(studyInstanceUid);
        return index >= 0 && index < studies.size() ? studies.get((int) index) : null;
    }

    /** The series with this Series Instance UID, or {@code null} if the fleet has none. */
    public SeriesRecord seriesByUid(String seriesInstanceUid) {
        long index = uids.seriesIndexOf(seriesInstanceUid);
        return index >= 0 && index < series.size() ? series.get((int) index) : null;
    }

    /** The instance with this SOP Instance UID, or {@code null} if the fleet has none. */
    public InstanceRef instanceByUid(String sopInstanceUid) {
        long payload = uids.instancePayloadOf(sopInstanceUid);
        if (payload < 0) {
            return null;
        }
        long seriesIndex = payload >>> FleetUids.INSTANCE_NUMBER_BITS;
        int instanceNumber = (int) (payload & ((1L << FleetUids.INSTANCE_NUMBER_BITS) - 1));
        if (seriesIndex >= series.size()) {
            return null;
        }
        SeriesRecord s = series.get((int) seriesIndex);
        return instanceNumber >= 1 && instanceNumber <= s.numberOfInstances()
                ? new InstanceRef(s, instanceNumber)
                : null;
    }

    /** A study before it has its global index: what one patient's study stream drew. */
    private record StudyDraft(
            int ordinal,
            StudyType type,
            StudyType.Procedure procedure,
            int epochDay,
            int secondOfDay,
            String studyId,
            String referringPhysicianName,
            List<StudyType.PlannedSeries> plan) {}

    /** One run of generation; holds the state that reusing Patient IDs needs. */
    private static final class Generator {
        private final PopulationSettings settings;
        private final int pacsCount;
        private final long seed;
        private final FleetUids uids;
        private final long idOffset;
        private final long accessionOffset;
        private final List<PatientRecord> patients = new ArrayList<>();
        private final List<StudyRecord> studies = new ArrayList<>();
        private final List<SeriesRecord> series = new ArrayList<>();
        private final Set<String> takenIds = new HashSet<>();
        private final Set<Integer> reusers = new HashSet<>();

        Generator(PopulationSettings settings, int pacsCount) {
            this.settings = settings;
            this.pacsCount = pacsCount;
            this.seed = settings.seed();
            this.uids = new FleetUids(seed);
            this.idOffset = Math.floorMod(Seeds.mix(seed, ID_OFFSET_STREAM), (long) PATIENT_ID_SPACE);
            this.accessionOffset = Math.floorMod(Seeds.mix(seed, ACCESSION_OFFSET_STREAM), (long) ACCESSION_SPACE);
        }

        FleetDataset run() {
            for (int p = 0; p < settings.patients(); p++) {
                PatientRecord patient = patient(p);
                patients.add(patient);
                patient.setStudies(studiesOf(patient));
            }
            return new FleetDataset(settings, pacsCount, uids, patients, studies, series);
        }

        private PatientRecord patient(int p) {
            Random random = new Random(Seeds.mix(seed, PATIENT_STREAM, p));
            PersonNames.Named name = PersonNames.draw(random);
            String issuer = ISSUERS.get(random.nextInt(ISSUERS.size()));
            String birthDate = LocalDate.ofEpochDay(
                            FIRST_BIRTH_DATE.toEpochDay() + random.nextInt(days(FIRST_BIRTH_DATE, LAST_BIRTH_DATE)))
                    .format(DateTimeFormatter.BASIC_ISO_DATE);
            int home = new Random(Seeds.mix(seed, PLACEMENT_STREAM, p)).nextInt(pacsCount);
            PatientRecord partner = null;
            if (random.nextDouble() < settings.reusedPatientIdShare()) {
                partner = reusePartner(p, issuer, random);
            }
            String patientId;
            if (partner != null) {
                patientId = partner.patientId();
                home = partner.homePacs();
                reusers.add(p);
            } else {
                patientId = sevenDigits(p, idOffset);
            }
            takenIds.add(patientId + '\\' + issuer);
            return new PatientRecord(p, patientId, issuer, name.patientName(), birthDate, name.sex(), home, partner);
        }

        /** An earlier patient of another issuer, not itself reusing an ID, whose ID this issuer has not yet. */
        private PatientRecord reusePartner(int p, String issuer, Random random) {
            if (p == 0) {
                return null;
            }
            for (int t = 0; t < REUSE_TRIES; t++) {
                int q = p - 1 - random.nextInt(Math.min(p, REUSE_LOOKBACK));
                PatientRecord candidate = patients.get(q);
                if (!candidate.issuerOfPatientId().equals(issuer)
                        && !reusers.contains(q)
                        && !takenIds.contains(candidate.patientId() + '\\' + issuer)) {
                    return candidate;
                }
            }
            return null;
        }

        private List<StudyRecord> studiesOf(PatientRecord patient) {
            int p = patient.index();
            Random random = new Random(Seeds.mix(seed, PATIENT_STREAM, p, 1));
            int count = settings.minStudiesPerPatient()
                    + random.nextInt(settings.maxStudiesPerPatient() - settings.minStudiesPerPatient() + 1);
            List<StudyDraft> drafts = new ArrayList<>(count);
            for (int s = 0; s < count; s++) {
                drafts.add(draft(p, s));
            }
            drafts.sort(Comparator.comparingInt(StudyDraft::epochDay)
                    .thenComparingInt(StudyDraft::secondOfDay)
                    .thenComparingInt(StudyDraft::ordinal));
            List<StudyRecord> list = new ArrayList<>(count);
            for (StudyDraft d : drafts) {
                list.add(study(patient, d));
            }
            return list;
        }

        private StudyDraft draft(int p, int s) {
            Random random = new Random(Seeds.mix(seed, STUDY_STREAM, p, s));
            StudyType type = StudyType.draw(random);
            StudyType.Procedure procedure = type.drawProcedure(random);
            boolean dated = random.nextDouble() >= settings.undatedStudyShare();
            int day = (int) FIRST_STUDY_DATE.toEpochDay() + random.nextInt(days(FIRST_STUDY_DATE, LAST_STUDY_DATE));
            int second = FIRST_STUDY_SECOND + random.nextInt(STUDY_SECONDS_RANGE);
            String studyId = Integer.toString(1000 + random.nextInt(9000));
            String referring =
                    PersonNames.REFERRING_PHYSICIANS.get(random.nextInt(PersonNames.REFERRING_PHYSICIANS.size()));
            List<StudyType.PlannedSeries> plan = type.planSeries(random);
            if (plan.size() > Long.SIZE) {
                throw new IllegalStateException("a study plan has more series than a copy can track: " + plan.size());
            }
            return new StudyDraft(
                    s,
                    type,
                    procedure,
                    dated ? day : StudyRecord.UNDATED,
                    dated ? second : 0,
                    studyId,
                    referring,
                    plan);
        }

        private StudyRecord study(PatientRecord patient, StudyDraft d) {
            int index = studies.size();
            String digits = Long.toString(ACCESSION_SPACE
                    + Math.floorMod(index * ACCESSION_STRIDE + accessionOffset, (long) ACCESSION_SPACE));
            String accession = "A" + digits.substring(1);
            StudyRecord study = new StudyRecord(
                    uids,
                    index,
                    patient,
                    d.type(),
                    d.procedure(),
                    d.epochDay(),
                    d.secondOfDay(),
                    accession,
                    d.studyId(),
                    d.referringPhysicianName());
            studies.add(study);
            List<SeriesRecord> list = new ArrayList<>(d.plan().size());
            for (int k = 0; k < d.plan().size(); k++) {
                StudyType.PlannedSeries planned = d.plan().get(k);
                SeriesRecord s = new SeriesRecord(
                        study,
                        series.size(),
                        k + 1,
                        planned.kind(),
                        planned.description(),
                        planned.instances(),
                        planned.frames(),
                        k * MINUTES_BETWEEN_SERIES);
                series.add(s);
                list.add(s);
            }
            study.setSeries(list);
            study.setCopies(copies(study, d.ordinal()));
            return study;
        }

        private List<StudyCopy> copies(StudyRecord study, int ordinal) {
            PatientRecord patient = study.patient();
            Random random = new Random(Seeds.mix(seed, PLACEMENT_STREAM, patient.index(), ordinal));
            boolean foreign = random.nextDouble() < settings.foreignStudyShare();
            boolean replicated = random.nextDouble() < settings.replicatedStudyShare();
            boolean thirdCopy = random.nextDouble() < settings.thirdCopyShare();
            boolean conflicting = random.nextDouble() < settings.conflictingCopyShare();
            int primary = patient.homePacs();
            if (ordinal > 0 && foreign && pacsCount > 1) {
                primary = otherPacs(random, Set.of(primary));
            }
            int seriesCount = study.series().size();
            List<StudyCopy> copies = new ArrayList<>(3);
            copies.add(new StudyCopy(study, primary, true, StudyCopy.allSeries(seriesCount), 0, 0, false, null));
            if (!replicated || pacsCount < 2) {
                return copies;
            }
            int replicas = thirdCopy && pacsCount > 2 ? 2 : 1;
            Set<Integer> used = new HashSet<>(Set.of(primary));
            for (int r = 0; r < replicas; r++) {
                int pacs = otherPacs(random, used);
                used.add(pacs);
                boolean incomplete = random.nextDouble() < settings.incompleteReplicaShare();
                boolean withoutDescriptions = random.nextDouble() < settings.replicaWithoutDescriptionsShare();
                String conflictingId = conflicting && r == 0 ? "TMP" + sevenDigits(study.index(), idOffset) : null;
                copies.add(
                        incomplete
                                ? incompleteReplica(study, pacs, random, withoutDescriptions, conflictingId)
                                : new StudyCopy(
                                        study,
                                        pacs,
                                        false,
                                        StudyCopy.allSeries(seriesCount),
                                        0,
                                        0,
                                        withoutDescriptions,
                                        conflictingId));
            }
            return copies;
        }

        /**
         * A replica missing one or more series (keeping at least one) or, when that is not possible or the draw says
         * so, the last images of one series. A one-image study cannot lack anything and stays complete.
         */
        private StudyCopy incompleteReplica(
                StudyRecord study, int pacs, Random random, boolean withoutDescriptions, String conflictingId) {
            List<SeriesRecord> all = study.series();
            List<SeriesRecord> multiImage = new ArrayList<>();
            for (SeriesRecord s : all) {
                if (s.numberOfInstances() > 1) {
                    multiImage.add(s);
                }
            }
            long held = StudyCopy.allSeries(all.size());
            boolean dropSeries = all.size() > 1 && (multiImage.isEmpty() || random.nextBoolean());
            if (dropSeries) {
                int drop = 1 + random.nextInt(all.size() - 1);
                List<Integer> numbers = new ArrayList<>();
                for (int k = 0; k < all.size(); k++) {
                    numbers.add(k);
                }
                for (int k = 0; k < drop; k++) {
                    int bit = numbers.remove(random.nextInt(numbers.size()));
                    held &= ~(1L << bit);
                }
                return new StudyCopy(study, pacs, false, held, 0, 0, withoutDescriptions, conflictingId);
            }
            if (multiImage.isEmpty()) {
                return new StudyCopy(study, pacs, false, held, 0, 0, withoutDescriptions, conflictingId);
            }
            SeriesRecord cut = multiImage.get(random.nextInt(multiImage.size()));
            int kept = 1 + random.nextInt(cut.numberOfInstances() - 1);
            return new StudyCopy(
                    study, pacs, false, held, cut.seriesNumber(), kept, withoutDescriptions, conflictingId);
        }

        private int otherPacs(Random random, Set<Integer> excluded) {
            int pacs;
            do {
                pacs = random.nextInt(pacsCount);
            } while (excluded.contains(pacs));
            return pacs;
        }

        private static int days(LocalDate first, LocalDate last) {
            return (int) (last.toEpochDay() - first.toEpochDay() + 1);
        }

        /** A distinct 7-digit number for each index below {@value #PATIENT_ID_SPACE}, scattered by the offset. */
        private static String sevenDigits(int index, long offset) {
            return Long.toString(
                    1_000_000 + Math.floorMod(index * PATIENT_ID_STRIDE + offset, (long) PATIENT_ID_SPACE));
        }
    }
}
