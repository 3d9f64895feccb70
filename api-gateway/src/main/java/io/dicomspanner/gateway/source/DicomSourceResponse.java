package io.dicomspanner.gateway.source;

import java.time.Instant;
import java.util.List;

/** A DICOM source as the API shows it. */
public record DicomSourceResponse(
        long id,
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        int maxAssociations,
        int queryTimeoutSeconds,
        List<InformationModel> informationModels,
        boolean relationalQueries,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    static DicomSourceResponse of(DicomSource source) {
        return new DicomSourceResponse(
                source.getId(),
                source.getName(),
                source.getAeTitle(),
                source.getHost(),
                source.getPort(),
                source.getCallingAeTitle(),
                source.isTls(),
                source.getMaxAssociations(),
                source.getQueryTimeoutSeconds(),
                source.getInformationModels(),
                source.isRelationalQueries(),
                source.isEnabled(),
                source.getCreatedAt(),
                source.getUpdatedAt());
    }
}
