package io.dicomspanner.gateway.querylog;

import io.dicomspanner.gateway.validation.WireEnum;

/** The Query/Retrieve level of a spanning query (PS3.4 C.6). */
public enum QueryLevel implements WireEnum {
    PATIENT("patient"),
    STUDY("study"),
    SERIES("series"),
    IMAGE("image");

    private final String wire;

    QueryLevel(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
