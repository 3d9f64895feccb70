package io.dicomspanner.dicom.net.pdu;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * SOP class extended negotiation sub-item (56H, PS3.7 Annex D.3.3.5). For the query SOP classes the application
 * information bytes are (PS3.4 C.5.1.1): 1 relational queries, 2 combined date-time matching, 3 fuzzy semantic
 * matching of person names, 4 timezone query adjustment; each 1 = supported. A byte that is not sent means 0.
 *
 * @param serviceClassApplicationInformation held as given, not copied
 */
public record SopClassExtendedNegotiation(String sopClassUid, byte[] serviceClassApplicationInformation)
        implements UserInformationItem {
    public static final int RELATIONAL_QUERIES = 0;
    public static final int COMBINED_DATE_TIME_MATCHING = 1;
    public static final int FUZZY_SEMANTIC_MATCHING = 2;
    public static final int TIMEZONE_QUERY_ADJUSTMENT = 3;

    public SopClassExtendedNegotiation {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(serviceClassApplicationInformation, "serviceClassApplicationInformation");
    }

    /** Whether the byte at {@code index} (0-based: {@link #RELATIONAL_QUERIES}, ...) is present and 1. */
    public boolean isSet(int index) {
        return index < serviceClassApplicationInformation.length && serviceClassApplicationInformation[index] == 1;
    }

    @Override
    public int itemType() {
        return SOP_CLASS_EXTENDED_NEGOTIATION;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SopClassExtendedNegotiation e
                && e.sopClassUid.equals(sopClassUid)
                && Arrays.equals(e.serviceClassApplicationInformation, serviceClassApplicationInformation);
    }

    @Override
    public int hashCode() {
        return sopClassUid.hashCode() * 31 + Arrays.hashCode(serviceClassApplicationInformation);
    }

    @Override
    public String toString() {
        return "SopClassExtendedNegotiation[" + sopClassUid + ", "
                + HexFormat.ofDelimiter(" ").formatHex(serviceClassApplicationInformation) + "]";
    }
}
