package io.dicomspanner.dicom.data;

/** How a data set is encoded (PS3.5 §10). Only the encoding matters here, not the pixel data compression. */
public enum TransferSyntax {
    IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false),
    EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false),
    DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, false, true),
    /** Retired, but still met in old files; read only. */
    EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, true, false),
    /** Any encapsulated (compressed) transfer syntax: the data set is Explicit VR Little Endian. */
    ENCAPSULATED(null, true, false, false);

    private final String uid;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final boolean deflated;

    TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated) {
        this.uid = uid;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
        this.deflated = deflated;
    }

    /** The UID, or {@code null} for {@link #ENCAPSULATED}, which stands for many. */
    public String uid() {
        return uid;
    }

    public boolean explicitVr() {
        return explicitVr;
    }

    public boolean bigEndian() {
        return bigEndian;
    }

    public boolean deflated() {
        return deflated;
    }

    /** The encoding of a transfer syntax UID; any UID not named here is taken as encapsulated (Explicit VR LE). */
    public static TransferSyntax of(String uid) {
        for (TransferSyntax ts : values()) {
            if (ts.uid != null && ts.uid.equals(uid)) {
                return ts;
            }
        }
        return ENCAPSULATED;
    }
}
