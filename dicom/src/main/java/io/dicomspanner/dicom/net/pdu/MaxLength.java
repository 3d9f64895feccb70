package io.dicomspanner.dicom.net.pdu;

/**
 * Maximum length sub-item (51H, PS3.8 Annex D.1): the largest P-DATA-TF variable field the sender of this item can
 * receive; 0 means no limit.
 */
public record MaxLength(long maxPduLength) implements UserInformationItem {
    public MaxLength {
        if (maxPduLength < 0 || maxPduLength > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("maximum length " + maxPduLength + " does not fit in 32 bits");
        }
    }

    @Override
    public int itemType() {
        return MAX_LENGTH;
    }
}
