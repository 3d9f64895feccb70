package io.dicomspanner.gateway.source;

import io.dicomspanner.gateway.validation.WireEnum;

/** The C-FIND information models (PS3.4 C.6) a DICOM source answers. */
public enum InformationModel implements WireEnum {
    STUDY_ROOT,
    PATIENT_ROOT;
}
