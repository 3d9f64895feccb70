package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.SeriesRecord;
import io.dicomspanner.simulator.data.StudyCopy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attributes a simulated PACS holds, the level each belongs to, and their values for one entity. Everything else
 * a query names is, for the simulated PACS, an attribute it does not hold.
 */
final class AnsweredAttributes {
    static final int ROWS = 0x00280010;
    static final int COLUMNS = 0x00280011;
    static final int BITS_ALLOCATED = 0x00280100;
    static final int NUMBER_OF_FRAMES = 0x00280008;
    static final int BODY_PART_EXAMINED = 0x00180015;
    static final int SOP_CLASSES_IN_STUDY = 0x00080062;
    static final int PERFORMED_PROCEDURE_STEP_START_DATE = 0x00400244;
    static final int PERFORMED_PROCEDURE_STEP_START_TIME = 0x00400245;

    /** Instance Availability (0008,0056): every simulated instance is on line. */
    static final String ONLINE = "ONLINE";

    private static final Map<Integer, QueryLevel> LEVEL = new HashMap<>();

    static {
        for (int tag : List.of(
                Tag.PATIENT_NAME,
                Tag.PATIENT_ID,
                Tag.ISSUER_OF_PATIENT_ID,
                Tag.PATIENT_BIRTH_DATE,
                Tag.PATIENT_SEX,
                Tag.NUMBER_OF_PATIENT_RELATED_STUDIES,
                Tag.NUMBER_OF_PATIENT_RELATED_SERIES,
                Tag.NUMBER_OF_PATIENT_RELATED_INSTANCES)) {
            LEVEL.put(tag, QueryLevel.PATIENT);
        }
        for (int tag : List.of(
                Tag.STUDY_DATE,
                Tag.STUDY_TIME,
                Tag.ACCESSION_NUMBER,
                Tag.STUDY_ID,
                Tag.STUDY_INSTANCE_UID,
                Tag.REFERRING_PHYSICIAN_NAME,
                Tag.STUDY_DESCRIPTION,
                Tag.MODALITIES_IN_STUDY,
                SOP_CLASSES_IN_STUDY,
                Tag.NUMBER_OF_STUDY_RELATED_SERIES,
                Tag.NUMBER_OF_STUDY_RELATED_INSTANCES)) {
            LEVEL.put(tag, QueryLevel.STUDY);
        }
        for (int tag : List.of(
                Tag.MODALITY,
                Tag.SERIES_NUMBER,
                Tag.SERIES_INSTANCE_UID,
                Tag.SERIES_DESCRIPTION,
                Tag.SERIES_DATE,
                Tag.SERIES_TIME,
                BODY_PART_EXAMINED,
                PERFORMED_PROCEDURE_STEP_START_DATE,
                PERFORMED_PROCEDURE_STEP_START_TIME,
                Tag.NUMBER_OF_SERIES_RELATED_INSTANCES)) {
            LEVEL.put(tag, QueryLevel.SERIES);
        }
        for (int tag : List.of(
                Tag.SOP_INSTANCE_UID,
                Tag.SOP_CLASS_UID,
                Tag.INSTANCE_NUMBER,
                ROWS,
                COLUMNS,
                BITS_ALLOCATED,
                NUMBER_OF_FRAMES)) {
            LEVEL.put(tag, QueryLevel.IMAGE);
        }
    }

    private AnsweredAttributes() {}

    /**
     * The level the attribute belongs to, or {@code null} if a simulated PACS does not hold it. Instance Availability
     * belongs to every level: the caller places it at the query level.
     */
    static QueryLevel ownLevel(int tag) {
        return LEVEL.get(tag);
    }

    static boolean isInstanceAvailability(int tag) {
        return tag == Tag.INSTANCE_AVAILABILITY;
    }

    /** The attribute's VR: what a response carries, whatever VR the request used. */
    static VR vrOf(int tag) {
        return ElementDictionary.standard().vrOf(tag);
    }

    /**
     * Puts the entity's value of {@code tag} (an attribute of {@code level}) into {@code record}; puts nothing when the
     * entity has no value.
     */
    static void put(Attributes record, int tag, QueryLevel level, Hit hit) {
        if (isInstanceAvailability(tag)) {
            record.setString(tag, VR.CS, ONLINE);
            return;
        }
        switch (level) {
            case PATIENT -> putPatient(record, tag, hit.patient);
            case STUDY -> putStudy(record, tag, hit.study);
            case SERIES -> putSeries(record, tag, hit.study, hit.series);
            case IMAGE -> putImage(record, tag, hit.series, hit.instanceNumber);
        }
    }

    private static void putPatient(Attributes record, int tag, PacsPatient p) {
        switch (tag) {
            case Tag.PATIENT_NAME -> text(record, tag, VR.PN, p.patientName());
            case Tag.PATIENT_ID -> text(record, tag, VR.LO, p.patientId());
            case Tag.ISSUER_OF_PATIENT_ID -> text(record, tag, VR.LO, p.issuerOfPatientId());
            case Tag.PATIENT_BIRTH_DATE -> text(record, tag, VR.DA, p.patientBirthDate());
            case Tag.PATIENT_SEX -> text(record, tag, VR.CS, p.patientSex());
            case Tag.NUMBER_OF_PATIENT_RELATED_STUDIES -> record.setInt(tag, VR.IS, p.numberOfStudies());
            case Tag.NUMBER_OF_PATIENT_RELATED_SERIES -> record.setInt(tag, VR.IS, p.numberOfSeries());
            case Tag.NUMBER_OF_PATIENT_RELATED_INSTANCES -> record.setInt(tag, VR.IS, p.numberOfInstances());
            default -> throw new IllegalArgumentException("not a patient attribute: " + Tag.toString(tag));
        }
    }

    private static void putStudy(Attributes record, int tag, StudyCopy c) {
        switch (tag) {
            case Tag.STUDY_DATE -> text(record, tag, VR.DA, c.study().studyDate());
            case Tag.STUDY_TIME -> text(record, tag, VR.TM, c.study().studyTime());
            case Tag.ACCESSION_NUMBER -> text(record, tag, VR.SH, c.study().accessionNumber());
            case Tag.STUDY_ID -> text(record, tag, VR.SH, c.study().studyId());
            case Tag.STUDY_INSTANCE_UID -> text(record, tag, VR.UI, c.study().studyInstanceUid());
            case Tag.REFERRING_PHYSICIAN_NAME -> text(record, tag, VR.PN, c.referringPhysicianName());
            case Tag.STUDY_DESCRIPTION -> text(record, tag, VR.LO, c.studyDescription());
            case Tag.MODALITIES_IN_STUDY ->
                record.setString(tag, VR.CS, c.modalitiesInStudy().toArray(new String[0]));
            case SOP_CLASSES_IN_STUDY ->
                record.setString(tag, VR.UI, c.sopClassesInStudy().toArray(new String[0]));
            case Tag.NUMBER_OF_STUDY_RELATED_SERIES -> record.setInt(tag, VR.IS, c.numberOfSeries());
            case Tag.NUMBER_OF_STUDY_RELATED_INSTANCES -> record.setInt(tag, VR.IS, c.numberOfInstances());
            default -> putPatient(record, tag, c.holder());
        }
    }

    private static void putSeries(Attributes record, int tag, StudyCopy c, SeriesRecord s) {
        switch (tag) {
            case Tag.MODALITY -> text(record, tag, VR.CS, s.modality());
            case Tag.SERIES_NUMBER -> record.setInt(tag, VR.IS, s.seriesNumber());
            case Tag.SERIES_INSTANCE_UID -> text(record, tag, VR.UI, s.seriesInstanceUid());
            case Tag.SERIES_DESCRIPTION -> text(record, tag, VR.LO, s.seriesDescription());
            case Tag.SERIES_DATE -> text(record, tag, VR.DA, s.seriesDate());
            case Tag.SERIES_TIME -> text(record, tag, VR.TM, s.seriesTime());
            case BODY_PART_EXAMINED -> text(record, tag, VR.CS, s.study().bodyPartExamined());
            case PERFORMED_PROCEDURE_STEP_START_DATE ->
                text(record, tag, VR.DA, s.study().studyDate());
            case PERFORMED_PROCEDURE_STEP_START_TIME ->
                text(record, tag, VR.TM, s.study().studyTime());
            case Tag.NUMBER_OF_SERIES_RELATED_INSTANCES -> record.setInt(tag, VR.IS, c.numberOfInstances(s));
            default -> throw new IllegalArgumentException("not a series attribute: " + Tag.toString(tag));
        }
    }

    private static void putImage(Attributes record, int tag, SeriesRecord s, int instanceNumber) {
        switch (tag) {
            case Tag.SOP_INSTANCE_UID -> text(record, tag, VR.UI, s.sopInstanceUid(instanceNumber));
            case Tag.SOP_CLASS_UID -> text(record, tag, VR.UI, s.sopClassUid());
            case Tag.INSTANCE_NUMBER -> record.setInt(tag, VR.IS, instanceNumber);
            case ROWS -> {
                if (s.kind().isImage()) {
                    record.setInt(tag, VR.US, s.kind().rows());
                }
            }
            case COLUMNS -> {
                if (s.kind().isImage()) {
                    record.setInt(tag, VR.US, s.kind().columns());
                }
            }
            case BITS_ALLOCATED -> {
                if (s.kind().isImage()) {
                    record.setInt(tag, VR.US, s.kind().bitsAllocated());
                }
            }
            case NUMBER_OF_FRAMES -> {
                if (s.kind().isMultiFrame()) {
                    record.setInt(tag, VR.IS, s.numberOfFrames());
                }
            }
            default -> throw new IllegalArgumentException("not an image attribute: " + Tag.toString(tag));
        }
    }

    /** Sets a text value; a {@code null} or empty value leaves the attribute out (the caller returns it empty). */
    private static void text(Attributes record, int tag, VR vr, String value) {
        if (value != null && !value.isEmpty()) {
            record.setString(tag, vr, value);
        }
    }
}
