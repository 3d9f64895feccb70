package io.dicomspanner.dicom.net.pdu;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PduCodecTest {
    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";

    static AAssociateRq fullRequest() {
        return new AAssociateRq(
                1,
                "PACS",
                "SPANNER",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(
                        PresentationContextRq.of(1, "1.2.840.10008.1.1", IMPLICIT_LE),
                        PresentationContextRq.of(3, STUDY_ROOT_FIND, EXPLICIT_LE, IMPLICIT_LE)),
                UserInformation.of(
                        new MaxLength(65536),
                        new ImplementationClassUid("2.25.1"),
                        new AsyncOperationsWindow(4, 1),
                        new RoleSelection(STUDY_ROOT_FIND, true, false),
                        new ImplementationVersionName("DQS_0.1"),
                        new SopClassExtendedNegotiation(STUDY_ROOT_FIND, new byte[] {1, 0, 1}),
                        UserIdentityRq.usernameAndPasscode("alice", "s3cret", true)));
    }

    static AAssociateAc fullAccept() {
        return new AAssociateAc(
                1,
                "PACS",
                "SPANNER",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(
                        new PresentationContextAc(1, PresentationContextAc.ACCEPTANCE, IMPLICIT_LE),
                        new PresentationContextAc(3, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED, IMPLICIT_LE)),
                UserInformation.of(
                        new MaxLength(0),
                        new ImplementationClassUid("1.2.3.4"),
                        new AsyncOperationsWindow(2, 1),
                        new RoleSelection(STUDY_ROOT_FIND, true, false),
                        new ImplementationVersionName("OTHER"),
                        new SopClassExtendedNegotiation(STUDY_ROOT_FIND, new byte[] {1}),
                        new UserIdentityAc(new byte[] {7, 8})));
    }

    static Stream<Pdu> everyPdu() {
        return Stream.of(
                fullRequest(),
                fullAccept(),
                AAssociateRj.calledAeTitleNotRecognized(),
                AAssociateRj.localLimitExceeded(),
                PDataTf.of(
                        new Pdv(3, true, true, new byte[] {1, 2, 3, 4}),
                        new Pdv(3, false, false, new byte[] {5}),
                        new Pdv(5, false, true, new byte[0])),
                AReleaseRq.INSTANCE,
                AReleaseRp.INSTANCE,
                AAbort.byServiceProvider(AAbort.REASON_UNEXPECTED_PDU),
                AAbort.byServiceUser());
    }

    @ParameterizedTest
    @MethodSource("everyPdu")
    void everyPduAndItemSurvivesEncodeThenDecode(Pdu pdu) {
        assertThat(decodeAll(encode(pdu))).containsExactly(pdu);
    }

    @Test
    void associateRequestMatchesTheByteLayoutOfPs38Section932() {
        AAssociateRq rq = new AAssociateRq(
                1,
                "ANY-SCP",
                "FINDSCU",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(PresentationContextRq.of(1, STUDY_ROOT_FIND, IMPLICIT_LE)),
                UserInformation.of(
                        new MaxLength(16384),
                        new ImplementationClassUid("1.2.3"),
                        new ImplementationVersionName("X_1")));

        Bytes expected = new Bytes()
                .hex("01 00 000000B5") // type 01, reserved, PDU length 181
                .hex("0001 0000") // protocol version 1, reserved
                .ascii("ANY-SCP         ") // called AE title, bytes 11-26
                .ascii("FINDSCU         ") // calling AE title, bytes 27-42
                .hex("00".repeat(32)) // reserved, bytes 43-74
                .hex("10 00 0015")
                .ascii("1.2.840.10008.3.1.1.1") // application context item
                .hex("20 00 0038 01 00 00 00") // presentation context item, ID 1
                .hex("30 00 001B")
                .ascii(STUDY_ROOT_FIND) // abstract syntax sub-item
                .hex("40 00 0011")
                .ascii(IMPLICIT_LE) // transfer syntax sub-item
                .hex("50 00 0018") // user information item
                .hex("51 00 0004 00004000") // maximum length 16384
                .hex("52 00 0005")
                .ascii("1.2.3") // implementation class UID
                .hex("55 00 0003")
                .ascii("X_1"); // implementation version name

        assertThat(HexFormat.of().formatHex(encode(rq)))
                .isEqualTo(HexFormat.of().formatHex(expected.toArray()));
    }

    @Test
    void rejectAbortAndReleaseMatchTheirFixedLayouts() {
        assertThat(hex(AAssociateRj.localLimitExceeded())).isEqualTo("03000000000400020302");
        assertThat(hex(AAbort.byServiceProvider(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE)))
                .isEqualTo("07000000000400000206");
        assertThat(hex(AReleaseRq.INSTANCE)).isEqualTo("05000000000400000000");
        assertThat(hex(AReleaseRp.INSTANCE)).isEqualTo("06000000000400000000");
    }

    @Test
    void pDataPdvCarriesItsLengthContextIdAndMessageControlHeader() {
        PDataTf p = PDataTf.of(new Pdv(7, true, true, new byte[] {(byte) 0xAB}), new Pdv(7, false, false, new byte[0]));
        assertThat(hex(p)).isEqualTo("04000000000d" + "00000003" + "07" + "03" + "ab" + "00000002" + "07" + "00");
    }

    @Test
    void userIdentityRequestEncodesTypeResponseFlagAndBothFields() {
        AAssociateRq rq = new AAssociateRq(
                1,
                "A",
                "B",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(PresentationContextRq.of(1, "1.2.840.10008.1.1", IMPLICIT_LE)),
                UserInformation.of(UserIdentityRq.usernameAndPasscode("bob", "pw", true)));
        String h = HexFormat.of().formatHex(encode(rq));
        assertThat(h).endsWith("58" + "00" + "000b" + "02" + "01" + "0003" + "626f62" + "0002" + "7077");
        AAssociateRq back = (AAssociateRq) decodeAll(encode(rq)).get(0);
        assertThat(back.userInformation().userIdentity().orElseThrow().username())
                .isEqualTo("bob");
        assertThat(back.userInformation().userIdentity().orElseThrow().passcode())
                .isEqualTo("pw");
        assertThat(back.userInformation().userIdentity().orElseThrow().toString())
                .doesNotContain("pw");
    }

    @Test
    void unknownUserInformationSubItemsAndUnknownItemsAreSkipped() {
        byte[] rq = encode(fullRequest());
        // append an unknown item 77H (3 bytes) and rewrite the PDU length
        byte[] longer = new Bytes().raw(rq).hex("77 00 0003 010203").toArray();
        setPduLength(longer);
        assertThat(decodeAll(longer)).containsExactly(fullRequest());

        AAssociateRq withCommonExtNeg = new AAssociateRq(
                1,
                "PACS",
                "SPANNER",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(PresentationContextRq.of(1, "1.2.840.10008.1.1", IMPLICIT_LE)),
                UserInformation.of(new MaxLength(100)));
        byte[] b = encode(withCommonExtNeg);
        // user information is last: add a 57H sub-item (common extended negotiation) inside it
        byte[] extra = HexFormat.of().parseHex("57000004" + "00020000");
        byte[] patched = new Bytes().raw(b).raw(extra).toArray();
        int uiAt = indexOfItem(patched, 0x50);
        int uiLen = ((patched[uiAt + 2] & 0xFF) << 8) | (patched[uiAt + 3] & 0xFF);
        patched[uiAt + 2] = (byte) ((uiLen + extra.length) >> 8);
        patched[uiAt + 3] = (byte) (uiLen + extra.length);
        setPduLength(patched);
        assertThat(decodeAll(patched)).containsExactly(withCommonExtNeg);
    }

    @Test
    void nulPaddedUidsAndSpacePaddedAeTitlesAreTrimmed() {
        AAssociateRq rq = new AAssociateRq(
                1,
                "PACS",
                "ME",
                AAssociateRq.DICOM_APPLICATION_CONTEXT + "\0",
                List.of(PresentationContextRq.of(1, "1.2.840.10008.1.1\0", IMPLICIT_LE + "\0")),
                UserInformation.of());
        AAssociateRq back = (AAssociateRq) decodeAll(encode(rq)).get(0);
        assertThat(back.applicationContextName()).isEqualTo(AAssociateRq.DICOM_APPLICATION_CONTEXT);
        assertThat(back.presentationContexts().get(0).abstractSyntax()).isEqualTo("1.2.840.10008.1.1");
        assertThat(back.presentationContexts().get(0).transferSyntaxes()).containsExactly(IMPLICIT_LE);
        assertThat(back.calledAeTitle()).isEqualTo("PACS");
    }

    @Test
    void aPduArrivingOneByteAtATimeIsDecodedOnceComplete() {
        EmbeddedChannel ch = channel(65536);
        byte[] b = encode(fullAccept());
        for (int i = 0; i < b.length - 1; i++) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b[i]}));
            assertThat(ch.<Object>readInbound()).isNull();
        }
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b[b.length - 1]}));
        assertThat(ch.<Object>readInbound()).isEqualTo(fullAccept());
    }

    @Test
    void twoPdusInOneReadAreBothDecoded() {
        EmbeddedChannel ch = channel(65536);
        ch.writeInbound(Unpooled.wrappedBuffer(encode(AReleaseRq.INSTANCE), encode(AReleaseRp.INSTANCE)));
        assertThat(ch.<Object>readInbound()).isEqualTo(AReleaseRq.INSTANCE);
        assertThat(ch.<Object>readInbound()).isEqualTo(AReleaseRp.INSTANCE);
    }

    static byte[] encode(Pdu pdu) {
        ByteBuf buf = Unpooled.buffer();
        PduWriter.write(pdu, buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    static String hex(Pdu pdu) {
        return HexFormat.of().formatHex(encode(pdu));
    }

    static EmbeddedChannel channel(int maxPData) {
        return new EmbeddedChannel(new PduDecoder(maxPData, 65536, 0));
    }

    static List<Object> decodeAll(byte[] bytes) {
        EmbeddedChannel ch = channel(65536);
        ch.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Object> out = new java.util.ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        ch.checkException();
        return out;
    }

    static void setPduLength(byte[] pdu) {
        int len = pdu.length - 6;
        pdu[2] = (byte) (len >>> 24);
        pdu[3] = (byte) (len >>> 16);
        pdu[4] = (byte) (len >>> 8);
        pdu[5] = (byte) len;
    }

    /** Offset of the first top-level item of this type in an A-ASSOCIATE PDU. */
    static int indexOfItem(byte[] pdu, int itemType) {
        int i = 6 + PduReader.ASSOCIATE_FIXED_LENGTH;
        while (i < pdu.length) {
            int len = ((pdu[i + 2] & 0xFF) << 8) | (pdu[i + 3] & 0xFF);
            if ((pdu[i] & 0xFF) == itemType) {
                return i;
            }
            i += 4 + len;
        }
        throw new AssertionError("no item " + itemType);
    }

    /** Builds expected bytes from hex (spaces ignored) and ASCII pieces. */
    static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes hex(String hex) {
            out.writeBytes(HexFormat.of().parseHex(hex.replace(" ", "")));
            return this;
        }

        Bytes ascii(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Bytes raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }
}
