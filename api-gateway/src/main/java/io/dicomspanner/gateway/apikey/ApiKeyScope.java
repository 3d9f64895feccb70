package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.wire.WireEnum;

/** What an API key may do. */
public enum ApiKeyScope implements WireEnum {
    /** Run spanning queries (QIDO-RS) and read the API documentation. */
    QUERY,
    /** Everything: the configuration admin API, API keys, audit trail, query log, and all that QUERY allows. */
    ADMIN;

    /** Whether a key with this scope may do what needs {@code required}. */
    public boolean grants(ApiKeyScope required) {
        return this == ADMIN || this == required;
    }
}
