package io.dicomspanner.dicom.net.pdu;

import java.util.Arrays;

/**
 * One presentation data value item of a P-DATA-TF (PS3.8 §9.3.5.1): a fragment of a DIMSE command or data set, with
 * its message control header (bit 0: command, bit 1: last fragment).
 *
 * @param fragment held as given, not copied: neither side changes it after construction
 */
public record Pdv(int presentationContextId, boolean command, boolean last, byte[] fragment) {
    /** Item length field (4) + presentation context ID (1) + message control header (1). */
    public static final int HEADER_LENGTH = 6;

    public Pdv {
        PresentationContextRq.checkId(presentationContextId);
        if (fragment == null) {
            throw new IllegalArgumentException("fragment is null");
        }
    }

    public int messageControlHeader() {
        return (command ? 1 : 0) | (last ? 2 : 0);
    }

    /** Bytes this PDV takes in a P-DATA-TF, header included. */
    public int encodedLength() {
        return HEADER_LENGTH + fragment.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pdv p
                && p.presentationContextId == presentationContextId
                && p.command == command
                && p.last == last
                && Arrays.equals(p.fragment, fragment);
    }

    @Override
    public int hashCode() {
        return presentationContextId * 31 + messageControlHeader() + 7 * Arrays.hashCode(fragment);
    }

    @Override
    public String toString() {
        return "PDV[pc " + presentationContextId + ", " + (command ? "command" : "data") + (last ? ", last" : "") + ", "
                + fragment.length + " bytes]";
    }
}
