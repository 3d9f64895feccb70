package io.dicomspanner.gateway.querylog;

import io.dicomspanner.gateway.validation.WireEnum;

/** How a spanning query came in. */
public enum EntryPoint implements WireEnum {
    QIDO("qido"),
    DIMSE("dimse");

    private final String wire;

    EntryPoint(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }
}
