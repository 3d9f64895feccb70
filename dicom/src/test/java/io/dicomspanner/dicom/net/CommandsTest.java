package io.dicomspanner.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CommandsTest {

    /**
     * Found by AssociationFuzzTest: a C-FIND-RQ whose Affected SOP Class UID held a byte above 7FH got no answer, as
     * the refusal quoting it could not be written in the default repertoire (the handler failed, logged at ERROR).
     */
    @Test
    void aResponseQuotingBytesAbove7fFromThePeerIsWrittenWithThemAsQuestionMarks() {
        byte[] uid = {'1', '.', '2', '.', '3', (byte) 0xFF};
        Attributes request = new Attributes()
                .setBytes(Tag.AFFECTED_SOP_CLASS_UID, VR.UI, uid)
                .setInt(Tag.COMMAND_FIELD, VR.US, CommandField.C_FIND_RQ)
                .setInt(Tag.MESSAGE_ID, VR.US, 7);

        Attributes rsp = Commands.response(
                request,
                Status.SOP_CLASS_NOT_SUPPORTED,
                false,
                "SOP class " + request.getString(Tag.AFFECTED_SOP_CLASS_UID) + " not supported");
        byte[] encoded = Commands.encode(rsp);

        Attributes written = DicomReader.read(encoded, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        assertThat(written.getString(Tag.ERROR_COMMENT)).isEqualTo("SOP class 1.2.3? not supported");
        assertThat(Arrays.copyOf(written.getBytes(Tag.AFFECTED_SOP_CLASS_UID), 6))
                .isEqualTo(uid);
        assertThat(written.getInt(Tag.MESSAGE_ID_BEING_RESPONDED_TO, -1)).isEqualTo(7);
        assertThat(written.getInt(Tag.STATUS, -1)).isEqualTo(Status.SOP_CLASS_NOT_SUPPORTED);
    }

    @Test
    void anErrorCommentKeepsItsFirst64CharactersInPrintableAscii() {
        Attributes request = new Attributes()
                .setString(Tag.AFFECTED_SOP_CLASS_UID, VR.UI, SopClasses.STUDY_ROOT_QUERY_FIND)
                .setInt(Tag.COMMAND_FIELD, VR.US, CommandField.C_FIND_RQ)
                .setInt(Tag.MESSAGE_ID, VR.US, 1);

        Attributes rsp =
                Commands.response(request, Status.UNABLE_TO_PROCESS, false, "level \u00FCber\ttab " + "x".repeat(60));

        assertThat(rsp.getString(Tag.ERROR_COMMENT)).isEqualTo("level ?ber?tab " + "x".repeat(49));
        assertThat(rsp.getString(Tag.AFFECTED_SOP_CLASS_UID)).isEqualTo(SopClasses.STUDY_ROOT_QUERY_FIND);
    }
}
