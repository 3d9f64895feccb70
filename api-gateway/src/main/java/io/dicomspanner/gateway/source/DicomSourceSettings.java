package io.dicomspanner.gateway.source;

import io.dicomspanner.dicom.query.InformationModel;
import java.util.List;

/** A source's settings once every default is filled in: what is stored; {@code dicomweb} null for a DIMSE source. */
record DicomSourceSettings(
        String name,
        String aeTitle,
        String host,
        int port,
        String callingAeTitle,
        boolean tls,
        boolean tlsVerifyHostname,
        int maxAssociations,
        int queryTimeoutSeconds,
        List<InformationModel> informationModels,
        boolean relationalQueries,
        List<String> unmatchedKeys,
        String location,
        List<String> tags,
        boolean enabled,
        SourceProtocol protocol,
        DicomWebSettings dicomweb) {}
