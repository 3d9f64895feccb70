package io.dicomspanner.gateway.config;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.source.DicomSource;
import io.dicomspanner.gateway.source.SourceProtocol;

/** The kind of source a mapping points at: both are sources of {@code /api/v1/sources}, told apart by protocol. */
public enum SourceType implements WireEnum {
    /** A DIMSE source: a PACS or any C-FIND SCP. */
    MODALITY,
    /** A DICOMweb archive, asked over QIDO-RS. */
    DICOMWEB;

    /** The type of a mapping that points at {@code source}. */
    public static SourceType of(DicomSource source) {
        return source.getProtocol() == SourceProtocol.DICOMWEB ? DICOMWEB : MODALITY;
    }
}
