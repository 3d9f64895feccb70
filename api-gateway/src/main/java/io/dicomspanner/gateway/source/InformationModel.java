package io.dicomspanner.gateway.source;

import io.dicomspanner.gateway.validation.WireEnum;

/** The C-FIND information models (PS3.4 C.6) a DICOM source answers. */
public enum InformationModel implements WireEnum {
    STUDY_ROOT("study_root"),
    PATIENT_ROOT("patient_root");

    private final String wire;

    InformationModel(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
