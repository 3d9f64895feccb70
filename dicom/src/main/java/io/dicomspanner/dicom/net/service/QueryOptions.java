package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;

/**
 * The C-FIND extended negotiation options (PS3.4 C.5.1.1, sub-item 56H): what a SCP supports beyond baseline
 * hierarchical matching. An option the acceptor did not return is not supported.
 */
public record QueryOptions(
        boolean relationalQueries,
        boolean combinedDateTimeMatching,
        boolean fuzzySemanticMatching,
        boolean timezoneQueryAdjustment) {

    public static final QueryOptions NONE = new QueryOptions(false, false, false, false);
    public static final QueryOptions RELATIONAL = new QueryOptions(true, false, false, false);

    /** Reads the service-class application information bytes; missing bytes are 0. */
    public static QueryOptions of(SopClassExtendedNegotiation negotiation) {
        return new QueryOptions(
                negotiation.isSet(SopClassExtendedNegotiation.RELATIONAL_QUERIES),
                negotiation.isSet(SopClassExtendedNegotiation.COMBINED_DATE_TIME_MATCHING),
                negotiation.isSet(SopClassExtendedNegotiation.FUZZY_SEMANTIC_MATCHING),
                negotiation.isSet(SopClassExtendedNegotiation.TIMEZONE_QUERY_ADJUSTMENT));
    }

    /** What the acceptor of {@code association} agreed to for a SOP class. */
    public static QueryOptions negotiated(Association association, String sopClassUid) {
        return association
                .extendedNegotiation(sopClassUid)
                .map(QueryOptions::of)
                .orElse(NONE);
    }

    /** The options both this and {@code other} have. */
    public QueryOptions and(QueryOptions other) {
        return new QueryOptions(
                relationalQueries && other.relationalQueries,
                combinedDateTimeMatching && other.combinedDateTimeMatching,
                fuzzySemanticMatching && other.fuzzySemanticMatching,
                timezoneQueryAdjustment && other.timezoneQueryAdjustment);
    }

    /** The four bytes of the sub-item. */
    public SopClassExtendedNegotiation toNegotiation(String sopClassUid) {
        return new SopClassExtendedNegotiation(sopClassUid, new byte[] {
            bit(relationalQueries),
            bit(combinedDateTimeMatching),
            bit(fuzzySemanticMatching),
            bit(timezoneQueryAdjustment)
        });
    }

    private static byte bit(boolean b) {
        return (byte) (b ? 1 : 0);
    }
}
