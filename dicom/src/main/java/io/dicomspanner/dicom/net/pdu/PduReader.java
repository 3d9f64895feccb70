package io.dicomspanner.dicom.net.pdu;

import static io.dicomspanner.dicom.net.pdu.AAbort.REASON_INVALID_PDU_PARAMETER_VALUE;
import static io.dicomspanner.dicom.net.pdu.AAbort.REASON_UNEXPECTED_PDU_PARAMETER;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the variable part of a PDU (everything after the 6-byte header) into its record. Every length is checked
 * against the bytes that remain, so a malformed PDU fails with an {@link InvalidPduException} carrying the A-ABORT
 * reason, never with an index error or a large allocation. Items and user information sub-items of unknown types are
 * skipped (PS3.7 Annex D.3.3).
 */
public final class PduReader {
    /** Protocol version, reserved, called AE, calling AE, 32 reserved bytes. */
    static final int ASSOCIATE_FIXED_LENGTH = 2 + 2 + 16 + 16 + 32;

    private PduReader() {}

    public static Pdu read(PduType type, ByteBuf body) throws InvalidPduException {
        try {
            return switch (type) {
                case A_ASSOCIATE_RQ -> readAssociateRq(body);
                case A_ASSOCIATE_AC -> readAssociateAc(body);
                case A_ASSOCIATE_RJ -> readAssociateRj(body);
                case P_DATA_TF -> readPDataTf(body);
                case A_RELEASE_RQ -> readFixed(body, AReleaseRq.INSTANCE);
                case A_RELEASE_RP -> readFixed(body, AReleaseRp.INSTANCE);
                case A_ABORT -> readAbort(body);
            };
        } catch (IllegalArgumentException e) {
            // a record refused a decoded value (even context ID, oversized field): the peer sent an invalid value
            throw new InvalidPduException(REASON_INVALID_PDU_PARAMETER_VALUE, type + ": " + e.getMessage(), e);
        }
    }

    private static Pdu readFixed(ByteBuf body, Pdu pdu) throws InvalidPduException {
        need(body, 4, pdu.type() + " body");
        return pdu;
    }

    private static AAssociateRj readAssociateRj(ByteBuf body) throws InvalidPduException {
        need(body, 4, "A-ASSOCIATE-RJ body");
        body.skipBytes(1);
        return new AAssociateRj(body.readUnsignedByte(), body.readUnsignedByte(), body.readUnsignedByte());
    }

    private static AAbort readAbort(ByteBuf body) throws InvalidPduException {
        need(body, 4, "A-ABORT body");
        body.skipBytes(2);
        return new AAbort(body.readUnsignedByte(), body.readUnsignedByte());
    }

    private static PDataTf readPDataTf(ByteBuf body) throws InvalidPduException {
        List<Pdv> pdvs = new ArrayList<>(2);
        while (body.isReadable()) {
            need(body, 4, "PDV item length");
            long length = body.readUnsignedInt();
            if (length < 2 || length > body.readableBytes()) {
                throw invalid("PDV item length " + length + " with " + body.readableBytes() + " bytes left in the PDU");
            }
            int pcid = body.readUnsignedByte();
            int mch = body.readUnsignedByte();
            byte[] fragment = new byte[(int) length - 2];
            body.readBytes(fragment);
            pdvs.add(new Pdv(pcid, (mch & 1) != 0, (mch & 2) != 0, fragment));
        }
        if (pdvs.isEmpty()) {
            throw invalid("P-DATA-TF without PDV items");
        }
        return new PDataTf(pdvs);
    }

    private static AAssociateRq readAssociateRq(ByteBuf body) throws InvalidPduException {
        Header h = readAssociateHeader(body, "A-ASSOCIATE-RQ");
        AssociateItems<PresentationContextRq> items = readAssociateItems(
                body,
                ItemType.PRESENTATION_CONTEXT_RQ,
                ItemType.PRESENTATION_CONTEXT_AC,
                "presentation context item 21H in a request",
                PduReader::readPresentationContextRq);
        return new AAssociateRq(
                h.protocolVersion,
                h.called,
                h.calling,
                items.applicationContext,
                items.contexts,
                items.userInformation);
    }

    private static AAssociateAc readAssociateAc(ByteBuf body) throws InvalidPduException {
        Header h = readAssociateHeader(body, "A-ASSOCIATE-AC");
        AssociateItems<PresentationContextAc> items = readAssociateItems(
                body,
                ItemType.PRESENTATION_CONTEXT_AC,
                ItemType.PRESENTATION_CONTEXT_RQ,
                "presentation context item 20H in an accept",
                PduReader::readPresentationContextAc);
        return new AAssociateAc(
                h.protocolVersion,
                h.called,
                h.calling,
                items.applicationContext,
                items.contexts,
                items.userInformation);
    }

    /** Reads one presentation context item of the kind an A-ASSOCIATE-RQ or -AC carries. */
    @FunctionalInterface
    private interface ContextReader<T> {
        T read(ByteBuf item) throws InvalidPduException;
    }

    private record AssociateItems<T>(String applicationContext, List<T> contexts, UserInformation userInformation) {}

    /**
     * The variable items of A-ASSOCIATE-RQ and -AC (PS3.8 §9.3.2, §9.3.3): one application context, presentation
     * contexts of the PDU's own kind ({@code contextType}; the other kind is a protocol error), one user information
     * item; unknown item types are ignored.
     */
    private static <T> AssociateItems<T> readAssociateItems(
            ByteBuf body, int contextType, int wrongContextType, String wrongContextMessage, ContextReader<T> reader)
            throws InvalidPduException {
        String applicationContext = null;
        List<T> contexts = new ArrayList<>();
        UserInformation userInformation = null;
        while (body.isReadable()) {
            int itemType = body.readUnsignedByte();
            ByteBuf item = itemContent(body, itemType);
            if (itemType == ItemType.APPLICATION_CONTEXT) {
                if (applicationContext != null) {
                    throw unexpected("second application context item");
                }
                applicationContext = ascii(item);
            } else if (itemType == contextType) {
                contexts.add(reader.read(item));
            } else if (itemType == wrongContextType) {
                throw unexpected(wrongContextMessage);
            } else if (itemType == ItemType.USER_INFORMATION) {
                if (userInformation != null) {
                    throw unexpected("second user information item");
                }
                userInformation = readUserInformation(item);
            }
        }
        return new AssociateItems<>(
                applicationContext == null ? "" : applicationContext,
                contexts,
                userInformation == null ? UserInformation.of() : userInformation);
    }

    private record Header(int protocolVersion, String called, String calling) {}

    private static Header readAssociateHeader(ByteBuf body, String what) throws InvalidPduException {
        need(body, ASSOCIATE_FIXED_LENGTH, what + " fixed fields");
        int version = body.readUnsignedShort();
        body.skipBytes(2);
        String called = aeTitle(body);
        String calling = aeTitle(body);
        body.skipBytes(32);
        return new Header(version, called, calling);
    }

    private static String aeTitle(ByteBuf body) {
        byte[] b = new byte[AeTitles.MAX_LENGTH];
        body.readBytes(b);
        return trim(new String(b, StandardCharsets.US_ASCII));
    }

    /** Reads an item header (reserved byte, 2-byte length) and returns the item's content as a slice. */
    private static ByteBuf itemContent(ByteBuf body, int itemType) throws InvalidPduException {
        need(body, 3, "item " + hex(itemType) + " header");
        body.skipBytes(1);
        int length = body.readUnsignedShort();
        if (length > body.readableBytes()) {
            throw invalid(
                    "item " + hex(itemType) + " length " + length + " with " + body.readableBytes() + " bytes left");
        }
        return body.readSlice(length);
    }

    private static PresentationContextRq readPresentationContextRq(ByteBuf item) throws InvalidPduException {
        need(item, 4, "presentation context item");
        int id = item.readUnsignedByte();
        item.skipBytes(3);
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>(2);
        while (item.isReadable()) {
            int subType = item.readUnsignedByte();
            ByteBuf sub = itemContent(item, subType);
            if (subType == ItemType.ABSTRACT_SYNTAX) {
                if (abstractSyntax != null) {
                    throw unexpected("presentation context " + id + " has a second abstract syntax");
                }
                abstractSyntax = ascii(sub);
            } else if (subType == ItemType.TRANSFER_SYNTAX) {
                transferSyntaxes.add(ascii(sub));
            }
        }
        if (abstractSyntax == null) {
            throw invalid("presentation context " + id + " has no abstract syntax");
        }
        return new PresentationContextRq(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextAc readPresentationContextAc(ByteBuf item) throws InvalidPduException {
        need(item, 4, "presentation context item");
        int id = item.readUnsignedByte();
        item.skipBytes(1);
        int result = item.readUnsignedByte();
        item.skipBytes(1);
        String transferSyntax = null;
        while (item.isReadable()) {
            int subType = item.readUnsignedByte();
            ByteBuf sub = itemContent(item, subType);
            if (subType == ItemType.TRANSFER_SYNTAX) {
                if (transferSyntax != null) {
                    throw unexpected("presentation context " + id + " answer has a second transfer syntax");
                }
                transferSyntax = ascii(sub);
            }
        }
        if (transferSyntax == null) {
            if (result == PresentationContextAc.ACCEPTANCE) {
                throw invalid("accepted presentation context " + id + " names no transfer syntax");
            }
            transferSyntax = "";
        }
        return new PresentationContextAc(id, result, transferSyntax);
    }

    private static UserInformation readUserInformation(ByteBuf item) throws InvalidPduException {
        List<UserInformationItem> items = new ArrayList<>();
        while (item.isReadable()) {
            int subType = item.readUnsignedByte();
            ByteBuf sub = itemContent(item, subType);
            UserInformationItem parsed = readUserInformationItem(subType, sub);
            if (parsed != null) {
                items.add(parsed);
            }
        }
        return new UserInformation(items);
    }

    private static UserInformationItem readUserInformationItem(int subType, ByteBuf sub) throws InvalidPduException {
        return switch (subType) {
            case UserInformationItem.MAX_LENGTH -> {
                exactly(sub, 4, "maximum length sub-item");
                yield new MaxLength(sub.readUnsignedInt());
            }
            case UserInformationItem.IMPLEMENTATION_CLASS_UID -> new ImplementationClassUid(ascii(sub));
            case UserInformationItem.ASYNC_OPERATIONS_WINDOW -> {
                exactly(sub, 4, "asynchronous operations window sub-item");
                yield new AsyncOperationsWindow(sub.readUnsignedShort(), sub.readUnsignedShort());
            }
            case UserInformationItem.ROLE_SELECTION -> {
                String uid = prefixedAscii(sub, "role selection SOP class UID");
                exactly(sub, 2, "role selection roles");
                yield new RoleSelection(uid, sub.readUnsignedByte() == 1, sub.readUnsignedByte() == 1);
            }
            case UserInformationItem.IMPLEMENTATION_VERSION_NAME -> new ImplementationVersionName(ascii(sub));
            case UserInformationItem.SOP_CLASS_EXTENDED_NEGOTIATION -> {
                String uid = prefixedAscii(sub, "extended negotiation SOP class UID");
                byte[] info = new byte[sub.readableBytes()];
                sub.readBytes(info);
                yield new SopClassExtendedNegotiation(uid, info);
            }
            case UserInformationItem.USER_IDENTITY_RQ -> {
                need(sub, 2, "user identity sub-item");
                int type = sub.readUnsignedByte();
                boolean positiveResponse = sub.readUnsignedByte() == 1;
                byte[] primary = prefixedBytes(sub, "user identity primary field");
                byte[] secondary = sub.isReadable() ? prefixedBytes(sub, "user identity secondary field") : null;
                yield new UserIdentityRq(type, positiveResponse, primary, secondary);
            }
            case UserInformationItem.USER_IDENTITY_AC ->
                new UserIdentityAc(
                        sub.isReadable() ? prefixedBytes(sub, "user identity server response") : new byte[0]);
            default -> null;
        };
    }

    private static String prefixedAscii(ByteBuf sub, String what) throws InvalidPduException {
        return trim(new String(prefixedBytes(sub, what), StandardCharsets.US_ASCII));
    }

    private static byte[] prefixedBytes(ByteBuf sub, String what) throws InvalidPduException {
        need(sub, 2, what + " length");
        int length = sub.readUnsignedShort();
        need(sub, length, what);
        byte[] b = new byte[length];
        sub.readBytes(b);
        return b;
    }

    private static String ascii(ByteBuf b) {
        return trim(b.toString(StandardCharsets.US_ASCII));
    }

    /** UIDs and names arrive padded with NUL or spaces by some implementations; neither is part of the value. */
    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == 0)) {
            start++;
        }
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == 0)) {
            end--;
        }
        return s.substring(start, end);
    }

    private static void need(ByteBuf b, int n, String what) throws InvalidPduException {
        if (b.readableBytes() < n) {
            throw invalid(what + " needs " + n + " bytes, " + b.readableBytes() + " left");
        }
    }

    private static void exactly(ByteBuf b, int n, String what) throws InvalidPduException {
        if (b.readableBytes() != n) {
            throw invalid(what + " has " + b.readableBytes() + " bytes, expected " + n);
        }
    }

    private static InvalidPduException invalid(String message) {
        return new InvalidPduException(REASON_INVALID_PDU_PARAMETER_VALUE, message);
    }

    private static InvalidPduException unexpected(String message) {
        return new InvalidPduException(REASON_UNEXPECTED_PDU_PARAMETER, message);
    }

    private static String hex(int itemType) {
        return String.format("%02XH", itemType);
    }
}
