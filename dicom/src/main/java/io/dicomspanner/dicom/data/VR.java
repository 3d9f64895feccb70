package io.dicomspanner.dicom.data;

/**
 * Value Representations of PS3.5 §6.2.
 *
 * <p>{@code longHeader} tells whether Explicit VR encoding uses 2 reserved bytes plus a 4-byte length (PS3.5 §7.1.2);
 * {@code padding} is the byte used to make a value even-length (space for text, NUL for UI and binary).
 */
public enum VR {
    AE(Kind.STRING, false, ' '),
    AS(Kind.STRING, false, ' '),
    AT(Kind.BINARY, false, 0),
    CS(Kind.STRING, false, ' '),
    DA(Kind.STRING, false, ' '),
    DS(Kind.STRING, false, ' '),
    DT(Kind.STRING, false, ' '),
    FL(Kind.BINARY, false, 0),
    FD(Kind.BINARY, false, 0),
    IS(Kind.STRING, false, ' '),
    LO(Kind.TEXT_SPECIFIC_CHARSET, false, ' '),
    LT(Kind.TEXT_SPECIFIC_CHARSET, false, ' '),
    OB(Kind.BINARY, true, 0),
    OD(Kind.BINARY, true, 0),
    OF(Kind.BINARY, true, 0),
    OL(Kind.BINARY, true, 0),
    OV(Kind.BINARY, true, 0),
    OW(Kind.BINARY, true, 0),
    PN(Kind.TEXT_SPECIFIC_CHARSET, false, ' '),
    SH(Kind.TEXT_SPECIFIC_CHARSET, false, ' '),
    SL(Kind.BINARY, false, 0),
    SQ(Kind.SEQUENCE, true, 0),
    SS(Kind.BINARY, false, 0),
    ST(Kind.TEXT_SPECIFIC_CHARSET, false, ' '),
    SV(Kind.BINARY, true, 0),
    TM(Kind.STRING, false, ' '),
    UC(Kind.TEXT_SPECIFIC_CHARSET, true, ' '),
    UI(Kind.STRING, false, 0),
    UL(Kind.BINARY, false, 0),
    UN(Kind.BINARY, true, 0),
    UR(Kind.STRING, true, ' '),
    US(Kind.BINARY, false, 0),
    UT(Kind.TEXT_SPECIFIC_CHARSET, true, ' '),
    UV(Kind.BINARY, true, 0);

    /** How a value of this VR is held and converted. */
    public enum Kind {
        /** Text in the default repertoire (ASCII); never affected by Specific Character Set. */
        STRING,
        /** Text whose bytes are decoded with the data set's Specific Character Set. */
        TEXT_SPECIFIC_CHARSET,
        /** Little-endian binary (numbers, AT, O* and UN). */
        BINARY,
        /** A sequence of items. */
        SEQUENCE
    }

    private static final VR[] BY_CODE = new VR[0x10000];

    static {
        for (VR vr : values()) {
            BY_CODE[vr.code] = vr;
        }
    }

    private final Kind kind;
    private final boolean longHeader;
    private final byte padding;
    private final int code;

    VR(Kind kind, boolean longHeader, int padding) {
        this.kind = kind;
        this.longHeader = longHeader;
        this.padding = (byte) padding;
        this.code = (name().charAt(0) << 8) | name().charAt(1);
    }

    public Kind kind() {
        return kind;
    }

    /** True when Explicit VR encoding uses a 12-byte header with a 4-byte length. */
    public boolean longHeader() {
        return longHeader;
    }

    public byte padding() {
        return padding;
    }

    /** The two ASCII characters as a big-endian 16-bit number, as they appear on the wire. */
    public int code() {
        return code;
    }

    public boolean isText() {
        return kind == Kind.STRING || kind == Kind.TEXT_SPECIFIC_CHARSET;
    }

    /** Text VRs whose value is a single value that may contain backslashes (PS3.5 §6.2: LT, ST, UT, UR). */
    public boolean isSingleValuedText() {
        return this == LT || this == ST || this == UT || this == UR;
    }

    /** Size in bytes of one binary value, or 0 for text, sequences and the O* / UN byte streams. */
    public int binaryValueSize() {
        return switch (this) {
            case US, SS -> 2;
            case UL, SL, FL, AT -> 4;
            case FD, SV, UV -> 8;
            default -> 0;
        };
    }

    /** The VR for a 16-bit wire code, or {@code null} if the code names no VR. */
    public static VR ofCode(int code) {
        return (code & 0xFFFF) == code ? BY_CODE[code] : null;
    }

    /** The VR named by two letters, or {@code null}. */
    public static VR ofName(String name) {
        if (name == null || name.length() != 2) {
            return null;
        }
        return ofCode((name.charAt(0) << 8) | name.charAt(1));
    }
}
