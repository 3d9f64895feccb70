package io.dicomspanner.dicom.data.synth;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * Deterministic, realistic-looking patients, studies, series and images for tests and the PACS simulator.
 *
 * <p>The same seed and shape always give the same data, on every JVM: values come from {@link Random} (whose algorithm
 * the JDK specifies) seeded per patient and per study, and UIDs are {@code 2.25.} UUID-derived UIDs (PS3.5 §B.2) of
 * name-based UUIDs. Patient {@code k} of a seed is the same whatever the number of patients generated, so a larger set
 * extends a smaller one. Patient names cycle through a pool that includes German, French, Swedish, Greek, Cyrillic,
 * Japanese, Korean and Chinese names, so any {@value #NAME_POOL_SIZE} consecutive patients cover all of them; data
 * sets with non-ASCII text carry Specific Character Set {@code ISO_IR 192} (UTF-8), the others none.
 *
 * <p>Each image is a miniature but consistent one (Rows × Columns × Bits Allocated match the Pixel Data), so any
 * archive or viewer accepts it.
 */
public final class SyntheticStudies {

    /** Number of distinct patient names; that many consecutive patients use each name once. */
    public static final int NAME_POOL_SIZE = 16;

    private static final int ROWS = 0x00280010;
    private static final int COLUMNS = 0x00280011;
    private static final int SAMPLES_PER_PIXEL = 0x00280002;
    private static final int PHOTOMETRIC_INTERPRETATION = 0x00280004;
    private static final int BITS_ALLOCATED = 0x00280100;
    private static final int BITS_STORED = 0x00280101;
    private static final int HIGH_BIT = 0x00280102;
    private static final int PIXEL_REPRESENTATION = 0x00280103;
    private static final int BODY_PART_EXAMINED = 0x00180015;

    private static final String UID_NAMESPACE = "io.dicomspanner.synth/";
    private static final DateTimeFormatter DA = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
    private static final DateTimeFormatter TM = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    private static final LocalDate FIRST_BIRTH_DATE = LocalDate.of(1930, 1, 1);
    private static final int BIRTH_DATE_RANGE_DAYS = 75 * 365;
    private static final LocalDate FIRST_STUDY_DATE = LocalDate.of(2010, 1, 1);
    private static final int STUDY_DATE_RANGE_DAYS = 15 * 365;
    private static final LocalTime FIRST_STUDY_TIME = LocalTime.of(7, 0);
    private static final int STUDY_TIME_RANGE_SECONDS = 13 * 3600;
    private static final int MINUTES_BETWEEN_SERIES = 3;

    private record PoolName(String patientName, String sex) {}

    private static final List<PoolName> NAMES = List.of(
            new PoolName("Smith^John", "M"),
            new PoolName("Müller^Jürgen", "M"),
            new PoolName("Παπαδοπούλου^Ελένη", "F"),
            new PoolName("Yamada^Tarou=山田^太郎=やまだ^たろう", "M"),
            new PoolName("Garcia^Maria^Elena", "F"),
            new PoolName("Hong^Gildong=洪^吉洞=홍^길동", "M"),
            new PoolName("Lefèvre^Hélène", "F"),
            new PoolName("Johnson^Emily^Rose^Mrs.", "F"),
            new PoolName("Wang^XiaoDong=王^小東", "M"),
            new PoolName("Schäfer^Anna-Lena", "F"),
            new PoolName("Иванова^Ольга", "F"),
            new PoolName("Nguyen^Van An", "M"),
            new PoolName("Suzuki^Hanako=鈴木^花子=すずき^はなこ", "F"),
            new PoolName("Åström^Björn", "M"),
            new PoolName("Kim^Jiwoo=金^智友=김^지우", "O"),
            new PoolName("Doe^Jane", "F"));

    private static final List<String> ISSUERS = List.of("HOSP_A", "HOSP_B", "CLINIC_NORTH");

    private static final List<String> REFERRING_PHYSICIANS =
            List.of("", "House^Gregory^^Dr.", "Weiß^Katrin^^Dr. med.", "Grey^Meredith", "Nakamura^Kenji=中村^健二");

    /** What a study examines: its description as the RIS would write it and the matching Body Part Examined. */
    private record Procedure(String description, String bodyPart) {}

    /** A study type: the modality of its series, the image each series holds, and plausible procedures. */
    private enum StudyType {
        CT(
                "CT",
                "1.2.840.10008.5.1.4.1.1.2",
                16,
                16,
                16,
                List.of(
                        new Procedure("CT HEAD W/O CONTRAST", "HEAD"),
                        new Procedure("CT CHEST ABDOMEN PELVIS W CONTRAST", "CHEST"),
                        new Procedure("CT Schädel nativ", "HEAD")),
                List.of("SCOUT", "AXIAL 5MM", "CORONAL MPR")),
        MR(
                "MR",
                "1.2.840.10008.5.1.4.1.1.4",
                12,
                16,
                16,
                List.of(
                        new Procedure("MR BRAIN W/WO CONTRAST", "BRAIN"),
                        new Procedure("MRT Kniegelenk rechts", "KNEE"),
                        new Procedure("MR LUMBAR SPINE", "LSPINE")),
                List.of("T1 SAG", "T2 AX", "FLAIR AX", "DWI")),
        CR(
                "CR",
                "1.2.840.10008.5.1.4.1.1.1",
                20,
                16,
                16,
                List.of(
                        new Procedure("CHEST PA AND LATERAL", "CHEST"),
                        new Procedure("Thorax p.a. und seitlich", "CHEST"),
                        new Procedure("HAND LEFT 2 VIEWS", "HAND")),
                List.of("PA", "LAT")),
        US(
                "US",
                "1.2.840.10008.5.1.4.1.1.6.1",
                12,
                12,
                8,
                List.of(
                        new Procedure("US ABDOMEN COMPLETE", "ABDOMEN"),
                        new Procedure("Sonographie Schilddrüse", "NECK"),
                        new Procedure("US CAROTID DOPPLER", "NECK")),
                List.of("TRANSVERSE", "LONGITUDINAL", "DOPPLER")),
        PT(
                "PT",
                "1.2.840.10008.5.1.4.1.1.128",
                8,
                8,
                16,
                List.of(
                        new Procedure("PET/CT WHOLE BODY FDG", "WHOLEBODY"),
                        new Procedure("PET/CT Ganzkörper PSMA", "WHOLEBODY")),
                List.of("PET AC", "PET NAC")),
        MG(
                "MG",
                "1.2.840.10008.5.1.4.1.1.1.2",
                16,
                12,
                16,
                List.of(
                        new Procedure("MAMMO SCREENING BILATERAL", "BREAST"),
                        new Procedure("Mammographie beidseits", "BREAST")),
                List.of("L CC", "R CC", "L MLO", "R MLO")),
        DX(
                "DX",
                "1.2.840.10008.5.1.4.1.1.1.1",
                16,
                20,
                16,
                List.of(new Procedure("KNEE RIGHT 3 VIEWS", "KNEE"), new Procedure("Sprunggelenk links", "ANKLE")),
                List.of("AP", "LAT"));

        final String modality;
        final String sopClassUid;
        final int rows;
        final int columns;
        final int bitsAllocated;
        final List<Procedure> procedures;
        final List<String> seriesDescriptions;

        StudyType(
                String modality,
                String sopClassUid,
                int rows,
                int columns,
                int bitsAllocated,
                List<Procedure> procedures,
                List<String> seriesDescriptions) {
            this.modality = modality;
            this.sopClassUid = sopClassUid;
            this.rows = rows;
            this.columns = columns;
            this.bitsAllocated = bitsAllocated;
            this.procedures = procedures;
            this.seriesDescriptions = seriesDescriptions;
        }

        /** PET studies come with the CT used for attenuation correction: every second series is a CT. */
        StudyType typeOfSeries(int seriesIndex) {
            return this == PT && seriesIndex % 2 == 1 ? CT : this;
        }
    }

    private final long seed;
    private final List<SyntheticPatient> patients;

    private SyntheticStudies(long seed, List<SyntheticPatient> patients) {
        this.seed = seed;
        this.patients = List.copyOf(patients);
    }

    /**
     * Generates {@code patients} patients, each with {@code studiesPerPatient} studies of {@code seriesPerStudy} series
     * of {@code instancesPerSeries} images.
     */
    public static SyntheticStudies generate(
            long seed, int patients, int studiesPerPatient, int seriesPerStudy, int instancesPerSeries) {
        requirePositive("patients", patients);
        requirePositive("studiesPerPatient", studiesPerPatient);
        requirePositive("seriesPerStudy", seriesPerStudy);
        requirePositive("instancesPerSeries", instancesPerSeries);
        List<SyntheticPatient> list = new ArrayList<>(patients);
        for (int p = 0; p < patients; p++) {
            list.add(patient(seed, p, studiesPerPatient, seriesPerStudy, instancesPerSeries));
        }
        return new SyntheticStudies(seed, list);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    public long seed() {
        return seed;
    }

    public List<SyntheticPatient> patients() {
        return patients;
    }

    /** All studies, patient by patient. */
    public List<SyntheticStudy> studies() {
        List<SyntheticStudy> all = new ArrayList<>();
        for (SyntheticPatient p : patients) {
            all.addAll(p.studies());
        }
        return all;
    }

    /** All series, study by study. */
    public List<SyntheticSeries> series() {
        List<SyntheticSeries> all = new ArrayList<>();
        for (SyntheticStudy st : studies()) {
            all.addAll(st.series());
        }
        return all;
    }

    /** All images, series by series. */
    public List<SyntheticInstance> instances() {
        List<SyntheticInstance> all = new ArrayList<>();
        for (SyntheticSeries se : series()) {
            all.addAll(se.instances());
        }
        return all;
    }

    /**
     * Writes every image as a Part-10 file named {@code <SOPInstanceUID>.dcm} into {@code directory} (created if
     * missing) and returns the paths in {@link #instances()} order.
     */
    public List<Path> writePart10(Path directory) throws IOException {
        Files.createDirectories(directory);
        List<Path> written = new ArrayList<>();
        for (SyntheticInstance instance : instances()) {
            Path file = directory.resolve(instance.sopInstanceUid() + ".dcm");
            Files.write(file, instance.toPart10());
            written.add(file);
        }
        return written;
    }

    private static SyntheticPatient patient(long seed, int p, int studies, int seriesPerStudy, int instancesPerSeries) {
        Random random = new Random(mix(seed, p));
        PoolName name = NAMES.get(Math.floorMod(mix(seed) + p, NAMES.size()));
        String patientId = "SYN" + Long.toUnsignedString(seed, 36).toUpperCase(Locale.ROOT) + "-"
                + String.format(Locale.ROOT, "%05d", p + 1);
        String issuer = ISSUERS.get(random.nextInt(ISSUERS.size()));
        String birthDate =
                FIRST_BIRTH_DATE.plusDays(random.nextInt(BIRTH_DATE_RANGE_DAYS)).format(DA);
        int firstType = random.nextInt(StudyType.values().length);
        Attributes patientLevel = new Attributes()
                .setString(Tag.PATIENT_NAME, VR.PN, name.patientName())
                .setString(Tag.PATIENT_ID, VR.LO, patientId)
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, issuer)
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, birthDate)
                .setString(Tag.PATIENT_SEX, VR.CS, name.sex());
        List<SyntheticStudy> list = new ArrayList<>(studies);
        for (int s = 0; s < studies; s++) {
            StudyType type = StudyType.values()[(firstType + s) % StudyType.values().length];
            list.add(study(seed, p, s, type, patientLevel, seriesPerStudy, instancesPerSeries));
        }
        return new SyntheticPatient(patientId, issuer, name.patientName(), birthDate, name.sex(), list);
    }

    private static SyntheticStudy study(
            long seed,
            int p,
            int s,
            StudyType type,
            Attributes patientLevel,
            int seriesPerStudy,
            int instancesPerSeries) {
        Random random = new Random(mix(seed, p, s));
        LocalDateTime start = LocalDateTime.of(
                FIRST_STUDY_DATE.plusDays(random.nextInt(STUDY_DATE_RANGE_DAYS)),
                FIRST_STUDY_TIME.plusSeconds(random.nextInt(STUDY_TIME_RANGE_SECONDS)));
        String studyUid = uid(seed, "study", p, s);
        String accession = String.format(Locale.ROOT, "A%09d", random.nextInt(1_000_000_000));
        String studyId = Integer.toString(1000 + random.nextInt(9000));
        Procedure procedure = type.procedures.get(random.nextInt(type.procedures.size()));
        String referring = REFERRING_PHYSICIANS.get(random.nextInt(REFERRING_PHYSICIANS.size()));
        Attributes studyLevel = Attributes.copyOf(patientLevel)
                .setString(Tag.STUDY_DATE, VR.DA, start.format(DA))
                .setString(Tag.STUDY_TIME, VR.TM, start.format(TM))
                .setString(Tag.ACCESSION_NUMBER, VR.SH, accession)
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, referring)
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, procedure.description())
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid)
                .setString(Tag.STUDY_ID, VR.SH, studyId);
        List<SyntheticSeries> series = new ArrayList<>(seriesPerStudy);
        for (int k = 0; k < seriesPerStudy; k++) {
            StudyType seriesType = type.typeOfSeries(k);
            LocalDateTime seriesStart = start.plusMinutes((long) k * MINUTES_BETWEEN_SERIES);
            String seriesDescription = seriesType == type
                    ? type.seriesDescriptions.get(k % type.seriesDescriptions.size())
                    : "CT ATTENUATION CORRECTION";
            String seriesUid = uid(seed, "series", p, s, k);
            Attributes seriesLevel = Attributes.copyOf(studyLevel)
                    .setString(Tag.SERIES_DATE, VR.DA, seriesStart.format(DA))
                    .setString(Tag.SERIES_TIME, VR.TM, seriesStart.format(TM))
                    .setString(Tag.MODALITY, VR.CS, seriesType.modality)
                    .setString(Tag.SERIES_DESCRIPTION, VR.LO, seriesDescription)
                    .setString(BODY_PART_EXAMINED, VR.CS, procedure.bodyPart())
                    .setString(Tag.SERIES_INSTANCE_UID, VR.UI, seriesUid)
                    .setInt(Tag.SERIES_NUMBER, VR.IS, k + 1);
            List<SyntheticInstance> instances = new ArrayList<>(instancesPerSeries);
            for (int i = 0; i < instancesPerSeries; i++) {
                instances.add(instance(uid(seed, "instance", p, s, k, i), i + 1, seriesType, seriesLevel));
            }
            series.add(new SyntheticSeries(
                    seriesUid,
                    seriesType.modality,
                    k + 1,
                    seriesDescription,
                    seriesStart.format(DA),
                    seriesStart.format(TM),
                    instances));
        }
        return new SyntheticStudy(
                studyUid,
                start.format(DA),
                start.format(TM),
                accession,
                studyId,
                procedure.description(),
                referring,
                series);
    }

    private static SyntheticInstance instance(
            String sopInstanceUid, int instanceNumber, StudyType type, Attributes seriesLevel) {
        Attributes ds = Attributes.copyOf(seriesLevel)
                .setString(Tag.SOP_CLASS_UID, VR.UI, type.sopClassUid)
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, sopInstanceUid)
                .setInt(Tag.INSTANCE_NUMBER, VR.IS, instanceNumber)
                .setInt(SAMPLES_PER_PIXEL, VR.US, 1)
                .setString(PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2")
                .setInt(ROWS, VR.US, type.rows)
                .setInt(COLUMNS, VR.US, type.columns)
                .setInt(BITS_ALLOCATED, VR.US, type.bitsAllocated)
                .setInt(BITS_STORED, VR.US, type.bitsAllocated == 8 ? 8 : 12)
                .setInt(HIGH_BIT, VR.US, type.bitsAllocated == 8 ? 7 : 11)
                .setInt(PIXEL_REPRESENTATION, VR.US, 0)
                .setBytes(Tag.PIXEL_DATA, type.bitsAllocated == 8 ? VR.OB : VR.OW, pixels(type, instanceNumber));
        if (hasNonAsciiText(ds)) {
            ds.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        return new SyntheticInstance(type.sopClassUid, sopInstanceUid, instanceNumber, ds);
    }

    /** A diagonal gradient that shifts with the instance number, so images of one series differ. */
    private static byte[] pixels(StudyType type, int instanceNumber) {
        int bytesPerPixel = type.bitsAllocated / 8;
        byte[] pixels = new byte[type.rows * type.columns * bytesPerPixel];
        int max = type.bitsAllocated == 8 ? 0xFF : 0xFFF;
        for (int r = 0; r < type.rows; r++) {
            for (int c = 0; c < type.columns; c++) {
                int value = ((r + c + instanceNumber) * max / (type.rows + type.columns)) & max;
                int off = (r * type.columns + c) * bytesPerPixel;
                pixels[off] = (byte) value;
                if (bytesPerPixel == 2) {
                    pixels[off + 1] = (byte) (value >>> 8);
                }
            }
        }
        return pixels;
    }

    private static boolean hasNonAsciiText(Attributes ds) {
        for (int i = 0; i < ds.size(); i++) {
            if (ds.vrAt(i).kind() == VR.Kind.TEXT_SPECIFIC_CHARSET) {
                for (String value : ds.getStrings(ds.tagAt(i))) {
                    if (!StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** A {@code 2.25.} UID (PS3.5 §B.2) from a name-based UUID of the seed and the entity's position. */
    private static String uid(long seed, String kind, int... position) {
        StringBuilder name =
                new StringBuilder(UID_NAMESPACE).append(seed).append('/').append(kind);
        for (int index : position) {
            name.append('/').append(index);
        }
        UUID uuid = UUID.nameUUIDFromBytes(name.toString().getBytes(StandardCharsets.UTF_8));
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        return "2.25." + new BigInteger(1, bytes);
    }

    /** SplitMix64's finaliser over the seed and indices, so neighbouring indices get unrelated random streams. */
    private static long mix(long seed, int... indices) {
        long h = seed;
        for (int index : indices) {
            h = finalise(h + 0x9E3779B97F4A7C15L * (index + 1L));
        }
        return finalise(h);
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
