package io.dicomspanner.dicom.net;

/** Values of Command Field (0000,0100) for the DIMSE-C services used here (PS3.7 §9.3 and Annex E). */
public final class CommandField {
    public static final int C_ECHO_RQ = 0x0030;
    public static final int C_ECHO_RSP = 0x8030;
    public static final int C_FIND_RQ = 0x0020;
    public static final int C_FIND_RSP = 0x8020;
    public static final int C_CANCEL_RQ = 0x0FFF;

    private CommandField() {}

    public static boolean isResponse(int commandField) {
        return (commandField & 0x8000) != 0;
    }

    /** The response command field for a request's. */
    public static int responseOf(int requestField) {
        return requestField | 0x8000;
    }

    /** "C-FIND-RQ" etc., or the hex value. */
    public static String name(int commandField) {
        return switch (commandField) {
            case C_ECHO_RQ -> "C-ECHO-RQ";
            case C_ECHO_RSP -> "C-ECHO-RSP";
            case C_FIND_RQ -> "C-FIND-RQ";
            case C_FIND_RSP -> "C-FIND-RSP";
            case C_CANCEL_RQ -> "C-CANCEL-RQ";
            case 0x0001 -> "C-STORE-RQ";
            case 0x0010 -> "C-GET-RQ";
            case 0x0021 -> "C-MOVE-RQ";
            default -> String.format("command %04XH", commandField);
        };
    }
}
