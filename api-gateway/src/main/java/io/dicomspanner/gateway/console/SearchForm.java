package io.dicomspanner.gateway.console;

import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.gateway.qido.QidoQueryParser;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search form as POSTed (never in a URL: its values are PHI), or a drill-down: a level with the Study (and Series)
 * Instance UID of the row it came from.
 *
 * @param configId the spanning config's id
 * @param level {@code studies}, {@code series} or {@code instances}
 * @param birthDate YYYYMMDD or YYYY-MM-DD
 * @param studyDateFrom first study date, YYYYMMDD or YYYY-MM-DD; with {@code studyDateTo} a range, alone open-ended
 * @param modality a modality (CS); of the study at study level, of the series below
 * @param description the study's description; the series' at series level
 * @param study the Study Instance UID of a drill-down
 * @param series the Series Instance UID of a drill-down to instances
 */
record SearchForm(
        String configId,
        String level,
        String patientId,
        String patientName,
        String birthDate,
        String studyDateFrom,
        String studyDateTo,
        String modality,
        String accessionNumber,
        String description,
        String study,
        String series) {

    /** The form's field behind each QIDO-RS parameter, for field-level messages. */
    static final Map<String, String> FIELD_OF_PARAMETER = Map.ofEntries(
            Map.entry("PatientID", "patientId"),
            Map.entry("PatientName", "patientName"),
            Map.entry("PatientBirthDate", "birthDate"),
            Map.entry("StudyDate", "studyDateFrom"),
            Map.entry("ModalitiesInStudy", "modality"),
            Map.entry("Modality", "modality"),
            Map.entry("AccessionNumber", "accessionNumber"),
            Map.entry("StudyDescription", "description"),
            Map.entry("SeriesDescription", "description"),
            Map.entry("StudyInstanceUID", "study"),
            Map.entry("SeriesInstanceUID", "series"));

    static SearchForm empty() {
        return new SearchForm(null, "studies", null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * The QIDO-RS resource the form asks. A drill-down names its study (and series) as matching keys of an all-series
     * (all-instances) search, so that every record carries the UIDs of the levels above it.
     */
    QidoResource resource() {
        return switch (levelOrStudies()) {
            case "series" -> QidoResource.ALL_SERIES;
            case "instances" -> QidoResource.ALL_INSTANCES;
            default -> QidoResource.ALL_STUDIES;
        };
    }

    String levelOrStudies() {
        return level == null || level.isBlank() ? "studies" : level.strip();
    }

    boolean drillDown() {
        return present(study);
    }

    /** Whether any matching field is filled in (a drill-down's UIDs count). */
    boolean hasMatchingField() {
        return drillDown()
                || present(patientId)
                || present(patientName)
                || present(birthDate)
                || present(studyDateFrom)
                || present(studyDateTo)
                || present(modality)
                || present(accessionNumber)
                || present(description);
    }

    /** The QIDO-RS parameters of this search, with the return keys the console's tables show. */
    Map<String, List<String>> qidoParameters() {
        Map<String, List<String>> p = new LinkedHashMap<>();
        QidoResource resource = resource();
        boolean seriesLevel = resource == QidoResource.ALL_SERIES;
        boolean studyLevel = resource == QidoResource.ALL_STUDIES;
        put(p, "StudyInstanceUID", study);
        put(p, "SeriesInstanceUID", series);
        put(p, "PatientID", patientId);
        put(p, "PatientName", patientName);
        put(p, "PatientBirthDate", date(birthDate));
        String from = date(studyDateFrom);
        String to = date(studyDateTo);
        if (present(from) || present(to)) {
            put(p, "StudyDate", present(from) && from.equals(to) ? from : nonNull(from) + "-" + nonNull(to));
        }
        put(p, studyLevel ? "ModalitiesInStudy" : "Modality", modality);
        put(p, "AccessionNumber", accessionNumber);
        put(p, seriesLevel ? "SeriesDescription" : "StudyDescription", description);
        p.put(
                QidoQueryParser.INCLUDE_FIELD,
                List.of(String.join(
                        ",",
                        switch (resource) {
                            case ALL_STUDIES ->
                                List.of(
                                        "PatientBirthDate",
                                        "StudyDescription",
                                        "ModalitiesInStudy",
                                        "NumberOfStudyRelatedSeries",
                                        "NumberOfStudyRelatedInstances");
                            case ALL_SERIES -> List.of("SeriesDescription", "NumberOfSeriesRelatedInstances");
                            default -> List.of("SOPClassUID", "InstanceNumber");
                        })));
        return p;
    }

    private static void put(Map<String, List<String>> parameters, String name, String value) {
        if (present(value)) {
            parameters.put(name, List.of(value.strip()));
        }
    }

    /** YYYY-MM-DD as DICOM's YYYYMMDD; anything else as given, for the parser to judge. */
    private static String date(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        return v.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}") ? v.replace("-", "") : v;
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
