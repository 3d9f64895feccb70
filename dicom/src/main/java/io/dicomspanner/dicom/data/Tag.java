package io.dicomspanner.dicom.data;

/** Data element tags as {@code int} (group in the high 16 bits), with the few tags the code base refers to by name. */
public final class Tag {
    public static final int COMMAND_GROUP_LENGTH = 0x00000000;
    public static final int AFFECTED_SOP_CLASS_UID = 0x00000002;
    public static final int REQUESTED_SOP_CLASS_UID = 0x00000003;
    public static final int COMMAND_FIELD = 0x00000100;
    public static final int MESSAGE_ID = 0x00000110;
    public static final int MESSAGE_ID_BEING_RESPONDED_TO = 0x00000120;
    public static final int PRIORITY = 0x00000700;
    public static final int COMMAND_DATA_SET_TYPE = 0x00000800;
    public static final int STATUS = 0x00000900;
    public static final int OFFENDING_ELEMENT = 0x00000901;
    public static final int ERROR_COMMENT = 0x00000902;
    public static final int ERROR_ID = 0x00000903;

    public static final int FILE_META_INFORMATION_GROUP_LENGTH = 0x00020000;
    public static final int MEDIA_STORAGE_SOP_CLASS_UID = 0x00020002;
    public static final int MEDIA_STORAGE_SOP_INSTANCE_UID = 0x00020003;
    public static final int TRANSFER_SYNTAX_UID = 0x00020010;

    public static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    public static final int STUDY_DATE = 0x00080020;
    public static final int SERIES_DATE = 0x00080021;
    public static final int STUDY_TIME = 0x00080030;
    public static final int SERIES_TIME = 0x00080031;
    public static final int ACCESSION_NUMBER = 0x00080050;
    public static final int QUERY_RETRIEVE_LEVEL = 0x00080052;
    public static final int RETRIEVE_AE_TITLE = 0x00080054;
    public static final int INSTANCE_AVAILABILITY = 0x00080056;
    public static final int MODALITY = 0x00080060;
    public static final int MODALITIES_IN_STUDY = 0x00080061;
    public static final int REFERRING_PHYSICIAN_NAME = 0x00080090;
    public static final int TIMEZONE_OFFSET_FROM_UTC = 0x00080201;
    public static final int RETRIEVE_URL = 0x00081190;
    public static final int SOP_CLASS_UID = 0x00080016;
    public static final int SOP_INSTANCE_UID = 0x00080018;
    public static final int STUDY_DESCRIPTION = 0x00081030;
    public static final int SERIES_DESCRIPTION = 0x0008103E;

    public static final int PATIENT_NAME = 0x00100010;
    public static final int PATIENT_ID = 0x00100020;
    public static final int ISSUER_OF_PATIENT_ID = 0x00100021;
    public static final int PATIENT_BIRTH_DATE = 0x00100030;
    public static final int PATIENT_SEX = 0x00100040;

    public static final int STUDY_INSTANCE_UID = 0x0020000D;
    public static final int SERIES_INSTANCE_UID = 0x0020000E;
    public static final int STUDY_ID = 0x00200010;
    public static final int SERIES_NUMBER = 0x00200011;
    public static final int INSTANCE_NUMBER = 0x00200013;
    public static final int NUMBER_OF_PATIENT_RELATED_STUDIES = 0x00201200;
    public static final int NUMBER_OF_PATIENT_RELATED_SERIES = 0x00201202;
    public static final int NUMBER_OF_PATIENT_RELATED_INSTANCES = 0x00201204;
    public static final int NUMBER_OF_STUDY_RELATED_SERIES = 0x00201206;
    public static final int NUMBER_OF_STUDY_RELATED_INSTANCES = 0x00201208;
    public static final int NUMBER_OF_SERIES_RELATED_INSTANCES = 0x00201209;

    public static final int PIXEL_DATA = 0x7FE00010;

    public static final int ITEM = 0xFFFEE000;
    public static final int ITEM_DELIMITATION_ITEM = 0xFFFEE00D;
    public static final int SEQUENCE_DELIMITATION_ITEM = 0xFFFEE0DD;

    private Tag() {}

    public static int of(int group, int element) {
        return (group << 16) | (element & 0xFFFF);
    }

    public static int group(int tag) {
        return tag >>> 16;
    }

    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** Private tags live in odd groups (PS3.5 §7.8). */
    public static boolean isPrivate(int tag) {
        return (group(tag) & 1) != 0;
    }

    /** Group length elements (gggg,0000) are retired outside the command and file meta groups. */
    public static boolean isGroupLength(int tag) {
        return element(tag) == 0;
    }

    /** Eight upper-case hex digits, the form used by DICOM JSON and QIDO-RS. */
    public static String toHex(int tag) {
        String hex = Integer.toHexString(tag).toUpperCase(java.util.Locale.ROOT);
        return "00000000".substring(hex.length()) + hex;
    }

    /** The conventional {@code (gggg,eeee)} form, for logs and errors. */
    public static String toString(int tag) {
        String hex = toHex(tag);
        return "(" + hex.substring(0, 4) + "," + hex.substring(4) + ")";
    }

    /** Parses eight hex digits; throws {@link IllegalArgumentException} otherwise. */
    public static int parseHex(String hex) {
        if (hex.length() != 8) {
            throw new IllegalArgumentException("a tag is 8 hex digits: " + hex);
        }
        try {
            return (int) Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a tag is 8 hex digits: " + hex, e);
        }
    }
}
