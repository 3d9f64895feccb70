package io.dicomspanner.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes a PDU with its 6-byte header (PS3.8 §9.3): big-endian lengths, AE titles space-padded to 16 bytes, UIDs
 * unpadded, reserved fields zero. Lengths are filled in after the content is written.
 */
public final class PduWriter {
    static final int HEADER_LENGTH = 6;

    private PduWriter() {}

    /** Bytes the PDU will take, exact for P-DATA-TF (the hot path) and an estimate for the others. */
    public static int sizeHint(Pdu pdu) {
        return pdu instanceof PDataTf p ? HEADER_LENGTH + p.variableFieldLength() : 512;
    }

    public static void write(Pdu pdu, ByteBuf out) {
        out.writeByte(pdu.type().code());
        out.writeByte(0);
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        if (pdu instanceof AAssociateRq rq) {
            writeAssociateHeader(out, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
            writeStringItem(out, ItemType.APPLICATION_CONTEXT, rq.applicationContextName());
            for (PresentationContextRq pc : rq.presentationContexts()) {
                writePresentationContextRq(out, pc);
            }
            writeUserInformation(out, rq.userInformation());
        } else if (pdu instanceof AAssociateAc ac) {
            writeAssociateHeader(out, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
            writeStringItem(out, ItemType.APPLICATION_CONTEXT, ac.applicationContextName());
            for (PresentationContextAc pc : ac.presentationContexts()) {
                writePresentationContextAc(out, pc);
            }
            writeUserInformation(out, ac.userInformation());
        } else if (pdu instanceof AAssociateRj rj) {
            out.writeByte(0);
            out.writeByte(rj.result());
            out.writeByte(rj.source());
            out.writeByte(rj.reason());
        } else if (pdu instanceof PDataTf p) {
            for (Pdv pdv : p.pdvs()) {
                out.writeInt(pdv.fragment().length + 2);
                out.writeByte(pdv.presentationContextId());
                out.writeByte(pdv.messageControlHeader());
                out.writeBytes(pdv.fragment());
            }
        } else if (pdu instanceof AAbort a) {
            out.writeShort(0);
            out.writeByte(a.source());
            out.writeByte(a.reason());
        } else {
            out.writeInt(0); // A-RELEASE-RQ and -RP: four reserved bytes
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4);
    }

    private static void writeAssociateHeader(ByteBuf out, int protocolVersion, String called, String calling) {
        out.writeShort(protocolVersion);
        out.writeShort(0);
        writeAeTitle(out, called);
        writeAeTitle(out, calling);
        out.writeZero(32);
    }

    private static void writeAeTitle(ByteBuf out, String aeTitle) {
        byte[] b = aeTitle.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(b);
        for (int i = b.length; i < AeTitles.MAX_LENGTH; i++) {
            out.writeByte(' ');
        }
    }

    private static void writePresentationContextRq(ByteBuf out, PresentationContextRq pc) {
        int at = startItem(out, ItemType.PRESENTATION_CONTEXT_RQ);
        out.writeByte(pc.id());
        out.writeZero(3);
        writeStringItem(out, ItemType.ABSTRACT_SYNTAX, pc.abstractSyntax());
        for (String ts : pc.transferSyntaxes()) {
            writeStringItem(out, ItemType.TRANSFER_SYNTAX, ts);
        }
        endItem(out, at);
    }

    private static void writePresentationContextAc(ByteBuf out, PresentationContextAc pc) {
        int at = startItem(out, ItemType.PRESENTATION_CONTEXT_AC);
        out.writeByte(pc.id());
        out.writeByte(0);
        out.writeByte(pc.result());
        out.writeByte(0);
        writeStringItem(out, ItemType.TRANSFER_SYNTAX, pc.transferSyntax());
        endItem(out, at);
    }

    private static void writeUserInformation(ByteBuf out, UserInformation userInformation) {
        int at = startItem(out, ItemType.USER_INFORMATION);
        for (UserInformationItem item : userInformation.items()) {
            writeUserInformationItem(out, item);
        }
        endItem(out, at);
    }

    private static void writeUserInformationItem(ByteBuf out, UserInformationItem item) {
        int at = startItem(out, item.itemType());
        if (item instanceof MaxLength m) {
            out.writeInt((int) m.maxPduLength());
        } else if (item instanceof ImplementationClassUid u) {
            writeAscii(out, u.uid());
        } else if (item instanceof AsyncOperationsWindow w) {
            out.writeShort(w.maxOperationsInvoked());
            out.writeShort(w.maxOperationsPerformed());
        } else if (item instanceof RoleSelection r) {
            writePrefixed(out, r.sopClassUid().getBytes(StandardCharsets.US_ASCII));
            out.writeByte(r.scuRole() ? 1 : 0);
            out.writeByte(r.scpRole() ? 1 : 0);
        } else if (item instanceof ImplementationVersionName n) {
            writeAscii(out, n.name());
        } else if (item instanceof SopClassExtendedNegotiation e) {
            writePrefixed(out, e.sopClassUid().getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(e.serviceClassApplicationInformation());
        } else if (item instanceof UserIdentityRq u) {
            out.writeByte(u.type());
            out.writeByte(u.positiveResponseRequested() ? 1 : 0);
            writePrefixed(out, u.primaryField());
            writePrefixed(out, u.secondaryField());
        } else if (item instanceof UserIdentityAc u) {
            writePrefixed(out, u.serverResponse());
        }
        endItem(out, at);
    }

    private static void writeStringItem(ByteBuf out, int itemType, String value) {
        int at = startItem(out, itemType);
        writeAscii(out, value);
        endItem(out, at);
    }

    private static void writeAscii(ByteBuf out, String s) {
        out.writeCharSequence(s, StandardCharsets.US_ASCII);
    }

    private static void writePrefixed(ByteBuf out, byte[] b) {
        checkU16(b.length);
        out.writeShort(b.length);
        out.writeBytes(b);
    }

    /** Writes type, reserved byte and a length placeholder; returns where the length goes. */
    private static int startItem(ByteBuf out, int itemType) {
        out.writeByte(itemType);
        out.writeByte(0);
        int at = out.writerIndex();
        out.writeShort(0);
        return at;
    }

    private static void endItem(ByteBuf out, int lengthAt) {
        int length = out.writerIndex() - lengthAt - 2;
        checkU16(length);
        out.setShort(lengthAt, length);
    }

    private static void checkU16(int length) {
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("item of " + length + " bytes does not fit a 16-bit item length");
        }
    }
}
