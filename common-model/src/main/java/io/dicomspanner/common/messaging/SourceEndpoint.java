package io.dicomspanner.common.messaging;

import io.dicomspanner.dicom.query.InformationModel;
import java.util.List;

/**
 * How to reach one DICOM source, as the coordinator resolved it from the configuration. Travels inside each task so a
 * worker needs no database access.
 *
 * @param informationModels {@link InformationModel#STUDY_ROOT} and/or {@link InformationModel#PATIENT_ROOT}, in order of
 *     preference (in JSON by constant name, {@code "STUDY_ROOT"})
 * @param relationalQueries whether the PACS accepts series/image queries without the upper levels' unique keys
 */
public record SourceEndpoint(
        long sourceId,
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        int maxAssociations,
        int queryTimeoutSeconds,
        List<InformationModel> informationModels,
        boolean relationalQueries) {}
