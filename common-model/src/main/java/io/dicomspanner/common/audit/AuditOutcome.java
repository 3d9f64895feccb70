package io.dicomspanner.common.audit;

import io.dicomspanner.common.wire.WireEnum;

/** How an audited request or change ended ({@code audit_event.outcome}). */
public enum AuditOutcome implements WireEnum {
    /** It was served (a search answered, whatever its sources did; a change made). */
    SUCCESS,
    /** The caller was not let in: no or a bad key or certificate, out of scope, beyond its rate. */
    REFUSED,
    /** It was admitted but ended in an error. */
    FAILED;
}
