package io.dicomspanner.dicom.net;

/** DIMSE priority (0000,0700), PS3.7 §9.1.1.1. */
public enum Priority {
    MEDIUM(0x0000),
    HIGH(0x0001),
    LOW(0x0002);

    private final int code;

    Priority(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The priority for a code; an unknown code (a peer's error) is taken as medium. */
    public static Priority of(int code) {
        return switch (code) {
            case 0x0001 -> HIGH;
            case 0x0002 -> LOW;
            default -> MEDIUM;
        };
    }
}
