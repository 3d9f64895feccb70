package io.dicomspanner.dicom.query;

import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which Query/Retrieve level an attribute belongs to (PS3.4 C.6.1.1, C.6.2.1), so a query can be refused when it names
 * an attribute below its resource (a series attribute on {@code /studies}), and a response can be cleared of
 * attributes a PACS added from a lower level.
 *
 * <p>The key tables of PS3.4 list a few attributes per level and then "all other attributes at this level", meaning
 * the attributes of that level's information entity in PS3.3. So the tables here hold the named keys of Patient Root
 * and Study Root plus the attributes of the modules of the Patient IE (Patient, Clinical Trial Subject), the Study IE
 * (General Study, Patient Study, Clinical Trial Study) and the Series IE together with the Equipment and Frame of
 * Reference IEs, which the Q/R model files under its series (General Series, Clinical Trial Series, General
 * Equipment, Frame of Reference). Every other standard attribute belongs to a composite instance and so to
 * {@link QueryLevel#IMAGE}: that is the model's default, not a guess.
 *
 * <p>Some attributes belong to no level: they describe the response or the query rather than an entity (Specific
 * Character Set, Query/Retrieve Level, Retrieve AE Title, Retrieve URL, Instance Availability, Timezone Offset From UTC,
 * the storage media and retrieve location keys), or they are private, and only their creator knows where they live.
 * Such attributes are allowed at every level.
 *
 * <p>Only top-level attributes are classified: an attribute inside a sequence item shares the level of its sequence.
 * Patient attributes are {@link QueryLevel#PATIENT}; in the Study Root model and in QIDO-RS they are keys of the study
 * level, which {@link #isAllowedAt} allows because PATIENT lies above STUDY.
 */
public final class AttributeLevels {

    private static final Map<Integer, QueryLevel> LEVELS = new HashMap<>(512);

    private static final Set<Integer> LEVEL_INDEPENDENT = tags(
            "SpecificCharacterSet",
            "QueryRetrieveLevel",
            "QueryRetrieveView",
            "RetrieveAETitle",
            "InstanceAvailability",
            "TimezoneOffsetFromUTC",
            "RetrieveURL",
            "RetrieveLocationUID",
            "StorageMediaFileSetID",
            "StorageMediaFileSetUID");

    static {
        classify(
                QueryLevel.PATIENT,
                // Table C.6-1 (Patient Root, patient level) and the Patient module (PS3.3 C.7.1.1)
                "PatientName",
                "PatientID",
                "IssuerOfPatientID",
                "TypeOfPatientID",
                "IssuerOfPatientIDQualifiersSequence",
                "SourcePatientGroupIdentificationSequence",
                "GroupOfPatientsIdentificationSequence",
                "ReferencedPatientSequence",
                "ReferencedPatientPhotoSequence",
                "PatientBirthDate",
                "PatientBirthTime",
                "PatientBirthDateInAlternativeCalendar",
                "PatientDeathDateInAlternativeCalendar",
                "PatientAlternativeCalendar",
                "PatientSex",
                "OtherPatientIDs",
                "OtherPatientIDsSequence",
                "OtherPatientNames",
                "PatientBirthName",
                "PatientMotherBirthName",
                "PatientAddress",
                "MilitaryRank",
                "BranchOfService",
                "MedicalRecordLocator",
                "CountryOfResidence",
                "RegionOfResidence",
                "PatientTelephoneNumbers",
                "PatientTelecomInformation",
                "EthnicGroup",
                "PatientReligiousPreference",
                "PatientInsurancePlanCodeSequence",
                "PatientPrimaryLanguageCodeSequence",
                "PatientPrimaryLanguageModifierCodeSequence",
                "PatientComments",
                "PatientSpeciesDescription",
                "PatientSpeciesCodeSequence",
                "PatientBreedDescription",
                "PatientBreedCodeSequence",
                "BreedRegistrationSequence",
                "StrainDescription",
                "StrainNomenclature",
                "StrainStockNumber",
                "StrainSourceRegistryCodeSequence",
                "StrainStockSequence",
                "StrainSource",
                "StrainAdditionalInformation",
                "StrainCodeSequence",
                "GeneticModificationsSequence",
                "ResponsiblePerson",
                "ResponsiblePersonRole",
                "ResponsibleOrganization",
                "QualityControlSubject",
                "QualityControlSubjectTypeCodeSequence",
                "PatientIdentityRemoved",
                "DeidentificationMethod",
                "DeidentificationMethodCodeSequence",
                "NumberOfPatientRelatedStudies",
                "NumberOfPatientRelatedSeries",
                "NumberOfPatientRelatedInstances",
                // Clinical Trial Subject module (PS3.3 C.7.1.3)
                "ClinicalTrialSponsorName",
                "ClinicalTrialProtocolID",
                "ClinicalTrialProtocolName",
                "ClinicalTrialSiteID",
                "ClinicalTrialSiteName",
                "ClinicalTrialSubjectID",
                "ClinicalTrialSubjectReadingID",
                "ClinicalTrialProtocolEthicsCommitteeName",
                "ClinicalTrialProtocolEthicsCommitteeApprovalNumber");
        classify(
                QueryLevel.STUDY,
                // Tables C.6-2 / C.6-5 and the General Study module (PS3.3 C.7.2.1)
                "StudyDate",
                "StudyTime",
                "AccessionNumber",
                "IssuerOfAccessionNumberSequence",
                "StudyID",
                "StudyInstanceUID",
                "ModalitiesInStudy",
                "SOPClassesInStudy",
                "AnatomicRegionsInStudyCodeSequence",
                "ReferringPhysicianName",
                "ReferringPhysicianAddress",
                "ReferringPhysicianTelephoneNumbers",
                "ReferringPhysicianIdentificationSequence",
                "ConsultingPhysicianName",
                "ConsultingPhysicianIdentificationSequence",
                "StudyDescription",
                "ProcedureCodeSequence",
                "PhysiciansOfRecord",
                "PhysiciansOfRecordIdentificationSequence",
                "NameOfPhysiciansReadingStudy",
                "PhysiciansReadingStudyIdentificationSequence",
                "RequestingService",
                "RequestingServiceCodeSequence",
                "ReferencedStudySequence",
                "ReasonForPerformedProcedureCodeSequence",
                "OtherStudyNumbers",
                "NumberOfStudyRelatedSeries",
                "NumberOfStudyRelatedInstances",
                "StudyStatusID",
                "StudyPriorityID",
                "StudyComments",
                // Patient Study module (PS3.3 C.7.2.2): facts about the patient at the time of this study
                "AdmittingDiagnosesDescription",
                "AdmittingDiagnosesCodeSequence",
                "PatientAge",
                "PatientSize",
                "PatientSizeCodeSequence",
                "PatientWeight",
                "PatientBodyMassIndex",
                "MeasuredAPDimension",
                "MeasuredLateralDimension",
                "MedicalAlerts",
                "Allergies",
                "SmokingStatus",
                "PregnancyStatus",
                "LastMenstrualDate",
                "PatientState",
                "Occupation",
                "AdditionalPatientHistory",
                "AdmissionID",
                "IssuerOfAdmissionIDSequence",
                "ServiceEpisodeID",
                "IssuerOfServiceEpisodeIDSequence",
                "ServiceEpisodeDescription",
                "PatientSexNeutered",
                "ReasonForVisit",
                "ReasonForVisitCodeSequence",
                // Clinical Trial Study module (PS3.3 C.7.2.3)
                "ClinicalTrialTimePointID",
                "ClinicalTrialTimePointDescription",
                "LongitudinalTemporalOffsetFromEvent",
                "LongitudinalTemporalEventType",
                "ConsentForClinicalTrialUseSequence");
        classify(
                QueryLevel.SERIES,
                // Table C.6-3 and the General Series module (PS3.3 C.7.3.1)
                "Modality",
                "SeriesInstanceUID",
                "SeriesNumber",
                "NumberOfSeriesRelatedInstances",
                "Laterality",
                "SeriesDate",
                "SeriesTime",
                "PerformingPhysicianName",
                "PerformingPhysicianIdentificationSequence",
                "ProtocolName",
                "SeriesDescription",
                "SeriesDescriptionCodeSequence",
                "OperatorsName",
                "OperatorIdentificationSequence",
                "ReferencedPerformedProcedureStepSequence",
                "RelatedSeriesSequence",
                "BodyPartExamined",
                "PatientPosition",
                "SmallestPixelValueInSeries",
                "LargestPixelValueInSeries",
                "RequestAttributesSequence",
                "PerformedProcedureStepID",
                "PerformedProcedureStepStartDate",
                "PerformedProcedureStepStartTime",
                "PerformedProcedureStepEndDate",
                "PerformedProcedureStepEndTime",
                "PerformedProcedureStepDescription",
                "PerformedProtocolCodeSequence",
                "CommentsOnThePerformedProcedureStep",
                "AnatomicalOrientationType",
                "SeriesType",
                "TreatmentSessionUID",
                // Clinical Trial Series module (PS3.3 C.7.3.2)
                "ClinicalTrialCoordinatingCenterName",
                "ClinicalTrialSeriesID",
                "ClinicalTrialSeriesDescription",
                // General Equipment module (PS3.3 C.7.5.1): the Equipment IE sits at series level in the Q/R model
                "Manufacturer",
                "InstitutionName",
                "InstitutionAddress",
                "InstitutionCodeSequence",
                "StationName",
                "InstitutionalDepartmentName",
                "InstitutionalDepartmentTypeCodeSequence",
                "ManufacturerModelName",
                "DeviceSerialNumber",
                "SoftwareVersions",
                "SpatialResolution",
                "DateOfLastCalibration",
                "TimeOfLastCalibration",
                // Frame of Reference module (PS3.3 C.7.4.1)
                "FrameOfReferenceUID",
                "PositionReferenceIndicator");
    }

    private AttributeLevels() {}

    /**
     * The level whose entity holds this top-level attribute; empty for attributes that belong to no level (see the
     * class comment), which every level allows.
     */
    public static Optional<QueryLevel> levelOf(int tag) {
        if (Tag.isPrivate(tag) || LEVEL_INDEPENDENT.contains(tag)) {
            return Optional.empty();
        }
        return Optional.of(LEVELS.getOrDefault(tag, QueryLevel.IMAGE));
    }

    /** True for the response and query-control attributes and private attributes, which belong to no level. */
    public static boolean isLevelIndependent(int tag) {
        return Tag.isPrivate(tag) || LEVEL_INDEPENDENT.contains(tag);
    }

    /**
     * True when a query at {@code level} may name the attribute as a matching or return key, and a response at that
     * level may carry it: its own level is {@code level} or above, or it belongs to no level.
     */
    public static boolean isAllowedAt(int tag, QueryLevel level) {
        if (isLevelIndependent(tag)) {
            return true;
        }
        return LEVELS.getOrDefault(tag, QueryLevel.IMAGE).ordinal() <= level.ordinal();
    }

    private static void classify(QueryLevel level, String... keywords) {
        for (int tag : tags(keywords)) {
            QueryLevel previous = LEVELS.put(tag, level);
            if (previous != null) {
                throw new IllegalStateException(Tag.toString(tag) + " listed at " + previous + " and " + level);
            }
        }
    }

    /** Resolves keywords through the dictionary, so a misspelt keyword fails when the class loads, not silently. */
    private static Set<Integer> tags(String... keywords) {
        Integer[] tags = new Integer[keywords.length];
        for (int i = 0; i < keywords.length; i++) {
            int tag = ElementDictionary.standard().tagOf(keywords[i]);
            if (tag == -1) {
                throw new IllegalStateException("no such keyword in the data dictionary: " + keywords[i]);
            }
            tags[i] = tag;
        }
        return Set.of(tags);
    }
}
