package io.dicomspanner.simulator.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The kinds of study a fleet holds, with how often each occurs (roughly a general hospital's mix: projection
 * radiography, CT and ultrasound lead, PET, nuclear medicine and angiography are rare) and the series each has.
 */
public enum StudyType {
    CR(
            17,
            List.of(
                    new Procedure("CHEST PA AND LATERAL", "CHEST"),
                    new Procedure("Thorax p.a. und seitlich", "CHEST"),
                    new Procedure("HAND LEFT 2 VIEWS", "HAND"))),
    DX(
            16,
            List.of(
                    new Procedure("KNEE RIGHT 3 VIEWS", "KNEE"),
                    new Procedure("Sprunggelenk links", "ANKLE"),
                    new Procedure("LUMBAR SPINE 2 VIEWS", "LSPINE"))),
    CT(
            20,
            List.of(
                    new Procedure("CT HEAD W/O CONTRAST", "HEAD"),
                    new Procedure("CT CHEST ABDOMEN PELVIS W CONTRAST", "CHEST"),
                    new Procedure("CT Schädel nativ", "HEAD"),
                    new Procedure("CT THORAX", "CHEST"))),
    MR(
            12,
            List.of(
                    new Procedure("MR BRAIN W/WO CONTRAST", "BRAIN"),
                    new Procedure("MRT Kniegelenk rechts", "KNEE"),
                    new Procedure("MR LUMBAR SPINE", "LSPINE"))),
    US(
            14,
            List.of(
                    new Procedure("US ABDOMEN COMPLETE", "ABDOMEN"),
                    new Procedure("Sonographie Schilddrüse", "NECK"),
                    new Procedure("US CAROTID DOPPLER", "NECK"))),
    MG(
            8,
            List.of(
                    new Procedure("MAMMO SCREENING BILATERAL", "BREAST"),
                    new Procedure("Mammographie beidseits", "BREAST"))),
    PT(
            3,
            List.of(
                    new Procedure("PET/CT WHOLE BODY FDG", "WHOLEBODY"),
                    new Procedure("PET/CT Ganzkörper PSMA", "WHOLEBODY"))),
    NM(3, List.of(new Procedure("BONE SCAN WHOLE BODY", "WHOLEBODY"), new Procedure("Myokardszintigraphie", "HEART"))),
    XA(4, List.of(new Procedure("CORONARY ANGIOGRAPHY", "HEART"), new Procedure("Koronarangiographie", "HEART")));

    /** What a study examines: its description as the RIS writes it, and the Body Part Examined of its series. */
    public record Procedure(String description, String bodyPart) {}

    /** One series of a study plan. */
    record PlannedSeries(SeriesKind kind, String description, int instances, int frames) {}

    private static final List<String> MR_SEQUENCES =
            List.of("LOCALIZER", "T1 SAG", "T2 AX", "FLAIR AX", "DWI", "T1 AX POST", "T2 COR");
    private static final List<String> MG_VIEWS = List.of("L CC", "R CC", "L MLO", "R MLO");
    private static final double PRESENTATION_STATE_SHARE = 0.2;
    private static final double RECONSTRUCTION_SHARE = 0.6;
    private static final double DOSE_REPORT_SHARE = 0.6;
    private static final double CINE_SHARE = 0.4;

    private static final int TOTAL_WEIGHT = totalWeight();

    private final int weight;
    private final List<Procedure> procedures;

    StudyType(int weight, List<Procedure> procedures) {
        this.weight = weight;
        this.procedures = procedures;
    }

    private static int totalWeight() {
        int total = 0;
        for (StudyType t : values()) {
            total += t.weight;
        }
        return total;
    }

    /** A study type drawn by weight. */
    static StudyType draw(Random random) {
        int left = random.nextInt(TOTAL_WEIGHT);
        for (StudyType t : values()) {
            if (left < t.weight) {
                return t;
            }
            left -= t.weight;
        }
        throw new IllegalStateException("draw beyond the total weight");
    }

    /** This type's share of all studies, from its weight. */
    public double expectedShare() {
        return (double) weight / TOTAL_WEIGHT;
    }

    Procedure drawProcedure(Random random) {
        return procedures.get(random.nextInt(procedures.size()));
    }

    /** The series of one study of this type, in series number order. */
    List<PlannedSeries> planSeries(Random random) {
        List<PlannedSeries> plan = new ArrayList<>();
        switch (this) {
            case CR -> projections(plan, random, SeriesKind.CR_IMAGE, List.of("PA", "LAT"));
            case DX -> projections(plan, random, SeriesKind.DX_IMAGE, List.of("AP", "LAT", "OBLIQUE"));
            case CT -> {
                add(plan, random, SeriesKind.CT_SCOUT, "SCOUT");
                add(plan, random, SeriesKind.CT_AXIAL, "AXIAL 5MM");
                if (random.nextDouble() < RECONSTRUCTION_SHARE) {
                    add(plan, random, SeriesKind.CT_RECONSTRUCTION, "CORONAL MPR");
                }
                if (random.nextDouble() < DOSE_REPORT_SHARE) {
                    add(plan, random, SeriesKind.SR_DOSE_REPORT, "DOSE REPORT");
                }
            }
            case MR -> {
                int count = 3 + random.nextInt(MR_SEQUENCES.size() - 2);
                for (int i = 0; i < count; i++) {
                    add(plan, random, SeriesKind.MR_SEQUENCE, MR_SEQUENCES.get(i));
                }
            }
            case US -> {
                add(plan, random, SeriesKind.US_IMAGE, "B-MODE");
                if (random.nextDouble() < CINE_SHARE) {
                    add(plan, random, SeriesKind.US_CINE, "CINE LOOPS");
                }
            }
            case MG -> {
                for (String view : MG_VIEWS) {
                    add(plan, random, SeriesKind.MG_VIEW, view);
                }
            }
            case PT -> {
                add(plan, random, SeriesKind.CT_SCOUT, "TOPOGRAM");
                add(plan, random, SeriesKind.CT_ATTENUATION_CORRECTION, "CT ATTENUATION CORRECTION");
                add(plan, random, SeriesKind.PT_WHOLE_BODY, "PET AC");
                add(plan, random, SeriesKind.PT_WHOLE_BODY, "PET NAC");
            }
            case NM -> add(plan, random, SeriesKind.NM_TOMO, "SPECT");
            case XA -> {
                int runs = 2 + random.nextInt(5);
                for (int i = 1; i <= runs; i++) {
                    add(plan, random, SeriesKind.XA_RUN, "RUN " + i);
                }
                if (random.nextDouble() < DOSE_REPORT_SHARE) {
                    add(plan, random, SeriesKind.SR_DOSE_REPORT, "DOSE REPORT");
                }
            }
        }
        return plan;
    }

    private static void projections(List<PlannedSeries> plan, Random random, SeriesKind kind, List<String> views) {
        int count = 1 + random.nextInt(views.size());
        for (int i = 0; i < count; i++) {
            add(plan, random, kind, views.get(i));
        }
        if (random.nextDouble() < PRESENTATION_STATE_SHARE) {
            add(plan, random, SeriesKind.PR_STATE, "PRESENTATION STATE");
        }
    }

    private static void add(List<PlannedSeries> plan, Random random, SeriesKind kind, String description) {
        int instances = kind.minInstances + random.nextInt(kind.maxInstances - kind.minInstances + 1);
        int frames = kind.isMultiFrame() ? kind.minFrames + random.nextInt(kind.maxFrames - kind.minFrames + 1) : 0;
        plan.add(new PlannedSeries(kind, description, instances, frames));
    }
}
