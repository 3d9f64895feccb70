package io.dicomspanner.gateway.querylog;

import io.dicomspanner.common.wire.WireEnum;

/** How a spanning query ended: every source answered, some did (and the failure strategy allowed it), or it failed. */
public enum QueryStatus implements WireEnum {
    COMPLETED,
    PARTIAL,
    FAILED;
}
