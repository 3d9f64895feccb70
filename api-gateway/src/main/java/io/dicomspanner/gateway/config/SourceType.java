package io.dicomspanner.gateway.config;

import io.dicomspanner.common.wire.WireEnum;

/** The kind of source a mapping points at; only DICOM sources exist so far. */
public enum SourceType implements WireEnum {
    /** A DICOM source ({@code /api/v1/sources}): a PACS or any C-FIND SCP. */
    MODALITY;
}
