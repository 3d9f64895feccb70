package io.dicomspanner.common.query;

/** Where a spanning query came in. */
public enum EntryPoint {
    /** DICOMweb QIDO-RS at the api-gateway. */
    QIDO,
    /** DIMSE C-FIND at the dimse-scp-listener. */
    DIMSE
}
