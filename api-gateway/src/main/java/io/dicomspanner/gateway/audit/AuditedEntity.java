package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.wire.WireEnum;

/** The kinds of thing the audit trail records changes of, or access to. */
public enum AuditedEntity implements WireEnum {
    DICOM_SOURCE,
    SPANNER_CONFIG,
    SOURCE_MAPPING,
    API_KEY,
    /** A search: QIDO-RS (synchronous or async) or DIMSE C-FIND; objects name the query id, config and filters. */
    QUERY,
    /** The status or the results of a query, read by id. */
    QUERY_RESULT,
    /** The query log, searched or read by id. */
    QUERY_LOG,
    /** A month partition of the query log, dropped for its age. */
    QUERY_LOG_PARTITION,
    /** Any other request of the API, audited when it was refused (401, 403). */
    API_REQUEST,
    /** A DIMSE association, audited when it was refused (calling AE title or client certificate). */
    DIMSE_ASSOCIATION,
    /** A web console session: a sign-in (accepted or refused) or a sign-out. */
    CONSOLE_SESSION;
}
