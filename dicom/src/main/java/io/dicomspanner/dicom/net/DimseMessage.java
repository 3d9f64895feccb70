package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.Tag;

/**
 * One received DIMSE message: the command set, decoded, and the data set as it arrived, decoded only on request in the
 * presentation context's transfer syntax (so a data set that does not parse can be answered with a status instead of
 * breaking the association).
 *
 * @param dataset the data set bytes, or {@code null} if the command says none follows; not copied
 */
public record DimseMessage(PresentationContext presentationContext, Attributes command, byte[] dataset) {

    public int commandField() {
        return command.getInt(Tag.COMMAND_FIELD, -1);
    }

    public int messageId() {
        return command.getInt(Tag.MESSAGE_ID, -1);
    }

    public int messageIdBeingRespondedTo() {
        return command.getInt(Tag.MESSAGE_ID_BEING_RESPONDED_TO, -1);
    }

    /** The status of a response, or -1 for a request. */
    public int status() {
        return command.getInt(Tag.STATUS, -1);
    }

    public String affectedSopClassUid() {
        return command.getString(Tag.AFFECTED_SOP_CLASS_UID);
    }

    public String errorComment() {
        return command.getString(Tag.ERROR_COMMENT);
    }

    public boolean hasDataset() {
        return dataset != null;
    }

    /**
     * Decodes the data set in the presentation context's transfer syntax.
     *
     * @return the data set, or {@code null} when there is none
     * @throws io.dicomspanner.dicom.data.DicomParseException when the bytes are not a data set
     */
    public Attributes readDataset() {
        return dataset == null ? null : DicomReader.read(dataset, presentationContext.transferSyntax());
    }

    @Override
    public String toString() {
        return CommandField.name(commandField()) + " on presentation context " + presentationContext.id()
                + (dataset != null ? " with " + dataset.length + "-byte data set" : "");
    }
}
