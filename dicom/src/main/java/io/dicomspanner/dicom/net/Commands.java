package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;

/**
 * DIMSE command sets (PS3.7 §9.3, §6.3.1): always Implicit VR Little Endian, Command Group Length (0000,0000) first
 * and computed here, never taken from the caller.
 */
public final class Commands {
    /** Command Data Set Type (0000,0800) value meaning "no data set follows". */
    public static final int NO_DATASET = 0x0101;
    /** The value this side sends when a data set follows; any other value than 0101H means the same. */
    public static final int DATASET_PRESENT = 0x0000;

    private static final int GROUP_LENGTH_ELEMENT = 12;

    private Commands() {}

    /** Encodes a command set, prefixing the computed group length; a (0000,0000) in {@code command} is ignored. */
    public static byte[] encode(Attributes command) {
        DicomWriter w = new DicomWriter(128);
        w.putBytes(new byte[GROUP_LENGTH_ELEMENT], 0, GROUP_LENGTH_ELEMENT);
        for (int i = 0; i < command.size(); i++) {
            if (command.tagAt(i) != Tag.COMMAND_GROUP_LENGTH) {
                w.writeElement(command, i, false);
            }
        }
        byte[] b = w.toByteArray();
        int length = b.length - GROUP_LENGTH_ELEMENT;
        // tag (0000,0000), value length 4, value: little endian
        b[4] = 4;
        b[8] = (byte) length;
        b[9] = (byte) (length >>> 8);
        b[10] = (byte) (length >>> 16);
        b[11] = (byte) (length >>> 24);
        return b;
    }

    /** Decodes a command set. Throws {@link io.dicomspanner.dicom.data.DicomParseException} on malformed bytes. */
    public static Attributes decode(byte[] bytes) {
        return DicomReader.read(bytes, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    public static boolean hasDataset(Attributes command) {
        return command.getInt(Tag.COMMAND_DATA_SET_TYPE, NO_DATASET) != NO_DATASET;
    }

    public static Attributes echoRq() {
        return new Attributes()
                .setString(Tag.AFFECTED_SOP_CLASS_UID, VR.UI, SopClasses.VERIFICATION)
                .setInt(Tag.COMMAND_FIELD, VR.US, CommandField.C_ECHO_RQ)
                .setInt(Tag.COMMAND_DATA_SET_TYPE, VR.US, NO_DATASET);
    }

    public static Attributes findRq(String sopClassUid, Priority priority) {
        return new Attributes()
                .setString(Tag.AFFECTED_SOP_CLASS_UID, VR.UI, sopClassUid)
                .setInt(Tag.COMMAND_FIELD, VR.US, CommandField.C_FIND_RQ)
                .setInt(Tag.PRIORITY, VR.US, priority.code())
                .setInt(Tag.COMMAND_DATA_SET_TYPE, VR.US, DATASET_PRESENT);
    }

    public static Attributes cancelRq(int messageIdBeingRespondedTo) {
        return new Attributes()
                .setInt(Tag.COMMAND_FIELD, VR.US, CommandField.C_CANCEL_RQ)
                .setInt(Tag.MESSAGE_ID_BEING_RESPONDED_TO, VR.US, messageIdBeingRespondedTo)
                .setInt(Tag.COMMAND_DATA_SET_TYPE, VR.US, NO_DATASET);
    }

    /**
     * A response to {@code request}: its SOP class, the response command field, the request's message ID and the
     * status. An error comment (LO, cut to 64 characters) is added for non-success statuses only.
     */
    public static Attributes response(Attributes request, int status, boolean withDataset, String errorComment) {
        Attributes rsp = new Attributes();
        String sopClass = request.getString(Tag.AFFECTED_SOP_CLASS_UID);
        if (sopClass != null) {
            // the peer's UID as sent, so the response names its SOP class exactly even with bytes no UID may hold
            byte[] sent = request.getBytes(Tag.AFFECTED_SOP_CLASS_UID);
            rsp.setBytes(Tag.AFFECTED_SOP_CLASS_UID, VR.UI, sent);
        }
        rsp.setInt(Tag.COMMAND_FIELD, VR.US, CommandField.responseOf(request.getInt(Tag.COMMAND_FIELD, 0)))
                .setInt(Tag.MESSAGE_ID_BEING_RESPONDED_TO, VR.US, request.getInt(Tag.MESSAGE_ID, 0))
                .setInt(Tag.COMMAND_DATA_SET_TYPE, VR.US, withDataset ? DATASET_PRESENT : NO_DATASET)
                .setInt(Tag.STATUS, VR.US, status);
        if (errorComment != null && !errorComment.isEmpty() && status != Status.SUCCESS && !Status.isPending(status)) {
            String comment = errorComment.length() > 64 ? errorComment.substring(0, 64) : errorComment;
            rsp.setString(Tag.ERROR_COMMENT, VR.LO, printableAscii(comment));
        }
        return rsp;
    }

    /**
     * The comment with every character outside printable ASCII as '?': comments quote what a peer sent (a level, a
     * UID), and a command set is written in the default repertoire, which cannot hold the bytes above 7FH a peer may
     * send.
     */
    static String printableAscii(String comment) {
        StringBuilder sb = new StringBuilder(comment.length());
        for (int i = 0; i < comment.length(); i++) {
            char c = comment.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return sb.toString();
    }
}
