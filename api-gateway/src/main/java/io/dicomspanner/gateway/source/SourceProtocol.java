package io.dicomspanner.gateway.source;

import io.dicomspanner.common.wire.WireEnum;

/** How the spanner asks a source. */
public enum SourceProtocol implements WireEnum {
    /** C-FIND over a DICOM association: a PACS or any C-FIND SCP. */
    DIMSE,
    /** QIDO-RS searches over HTTP(S): a DICOMweb archive. */
    DICOMWEB
}
