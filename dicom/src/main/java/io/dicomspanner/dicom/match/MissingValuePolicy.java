package io.dicomspanner.dicom.match;

/**
 * What a non-universal key does with a candidate whose value cannot be compared: the attribute is absent or
 * zero-length, or its value does not parse for its VR (a DA of "2024", a TM of "2400"). The same applies to a missing
 * PN component group the key asks for, a missing time under combined date-time matching, and a missing or empty
 * sequence.
 *
 * <p>The two roles of {@link QueryMatcher} need opposite answers, so the caller says which role it plays.
 */
public enum MissingValuePolicy {
    /**
     * The SCP role (our simulated PACS): an unknown value fails to match. PS3.4 C.2.2.1.2 lets a zero-length key in
     * the request match every entity, not an entity's zero-length value match every key (the reading the standard's
     * editors gave dcm4chee-arc-light#100), and the Worklist rules say it outright: "the unknown value shall fail to
     * match any Matching Key value" (PS3.4 K.2.2.1.1.1).
     */
    EXCLUDE,

    /**
     * The re-check role (the spanning coordinator filtering what a real PACS returned): a record is kept unless one of
     * its values proves that it does not match. PACS leave out attributes they were asked for (dcm4che#1123), so an
     * absent value disproves nothing.
     */
    KEEP
}
