package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.net.pdu.AAbort;
import io.dicomspanner.dicom.net.pdu.InvalidPduException;
import io.dicomspanner.dicom.net.pdu.Pdv;
import java.util.Arrays;

/**
 * Joins PDV fragments into DIMSE messages (PS3.8 Annex E, PS3.7 §6.3.1): the command fragments, then the data set
 * fragments if the command says one follows, all on one presentation context; messages never interleave. Buffers grow
 * with what arrives, never past the message size bound.
 */
final class DimseAssembler {
    private static final byte[] EMPTY = new byte[0];

    /** A complete message: its presentation context ID, decoded command, and data set bytes (or null). */
    record Assembled(int presentationContextId, Attributes command, byte[] dataset) {}

    private final int maxMessageSize;
    private int presentationContextId = -1;
    private byte[] commandBytes = EMPTY;
    private int commandLength;
    private Attributes command;
    private byte[] dataBytes = EMPTY;
    private int dataLength;

    DimseAssembler(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Adds one PDV; returns the message it completes, else {@code null}.
     *
     * @throws InvalidPduException fragments out of order or interleaved (abort by the service provider)
     * @throws DicomNetworkException the message grows past the bound, or its command set does not parse
     */
    Assembled add(Pdv pdv) throws InvalidPduException, DicomNetworkException {
        if (presentationContextId == -1) {
            if (!pdv.command()) {
                throw unexpected("a data set fragment arrived before any command");
            }
            presentationContextId = pdv.presentationContextId();
        } else if (pdv.presentationContextId() != presentationContextId) {
            throw unexpected("a fragment on presentation context " + pdv.presentationContextId()
                    + " arrived inside a message on context " + presentationContextId
                    + ": messages must not interleave");
        }
        byte[] fragment = pdv.fragment();
        if ((long) commandLength + dataLength + fragment.length > maxMessageSize) {
            throw new DicomNetworkException("DIMSE message exceeds the maximum message size of " + maxMessageSize
                    + " bytes (" + (commandLength + dataLength + fragment.length) + " so far)");
        }
        if (pdv.command()) {
            if (command != null) {
                throw unexpected("a command fragment arrived after the command was complete");
            }
            commandBytes = append(commandBytes, commandLength, fragment);
            commandLength += fragment.length;
            if (pdv.last()) {
                try {
                    command = Commands.decode(Arrays.copyOf(commandBytes, commandLength));
                } catch (DicomParseException e) {
                    throw new DicomNetworkException("command set does not parse: " + e.getMessage(), e);
                }
                if (!command.contains(Tag.COMMAND_FIELD)) {
                    // without it no service can answer, and nothing would end the association before its idle timeout
                    throw new DicomNetworkException("command set has no Command Field (0000,0100)");
                }
                if (!Commands.hasDataset(command)) {
                    return complete(null);
                }
            }
            return null;
        }
        if (command == null) {
            throw unexpected("a data set fragment arrived before the command was complete");
        }
        dataBytes = append(dataBytes, dataLength, fragment);
        dataLength += fragment.length;
        return pdv.last() ? complete(Arrays.copyOf(dataBytes, dataLength)) : null;
    }

    /** True while a message is partly received. */
    boolean inProgress() {
        return presentationContextId != -1;
    }

    private Assembled complete(byte[] dataset) {
        Assembled a = new Assembled(presentationContextId, command, dataset);
        presentationContextId = -1;
        commandLength = 0;
        dataLength = 0;
        command = null;
        if (commandBytes.length > 4096) {
            commandBytes = EMPTY;
        }
        if (dataBytes.length > 65536) {
            dataBytes = EMPTY;
        }
        return a;
    }

    private byte[] append(byte[] buf, int length, byte[] fragment) {
        if (length + fragment.length > buf.length) {
            int capacity = Math.max(length + fragment.length, Math.min(maxMessageSize, Math.max(256, buf.length * 2)));
            buf = Arrays.copyOf(buf, capacity);
        }
        System.arraycopy(fragment, 0, buf, length, fragment.length);
        return buf;
    }

    private static InvalidPduException unexpected(String message) {
        return new InvalidPduException(AAbort.REASON_UNEXPECTED_PDU_PARAMETER, message);
    }
}
