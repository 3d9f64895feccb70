package io.dicomspanner.dicom.net.pdu;

import static io.dicomspanner.dicom.net.pdu.PduCodecTest.encode;
import static io.dicomspanner.dicom.net.pdu.PduCodecTest.setPduLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Each malformed input is refused with the A-ABORT reason PS3.8 §9.3.8 gives, and later bytes are ignored. */
class PduDecoderRefusalTest {

    @Test
    void unknownPduTypeIsUnrecognizedPdu() {
        assertRefused("08 00 00000004 00000000", AAbort.REASON_UNRECOGNIZED_PDU, "unknown PDU type 08H");
    }

    @Test
    void pDataLongerThanTheAnnouncedMaximumIsRefusedBeforeItsBodyArrives() {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(1000, 65536, 0));
        // header only: 1001-byte P-DATA-TF announced, nothing else sent
        assertThatThrownBy(() ->
                        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("0400000003e9"))))
                .isInstanceOf(DecoderException.class)
                .cause()
                .isInstanceOf(InvalidPduException.class)
                .hasMessage("P-DATA-TF length 1001 exceeds the maximum 1000")
                .extracting(e -> ((InvalidPduException) e).abortReason())
                .isEqualTo(AAbort.REASON_INVALID_PDU_PARAMETER_VALUE);
    }

    @Test
    void pDataOfExactlyTheAnnouncedMaximumIsAccepted() {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(1006, 65536, 0));
        ch.writeInbound(Unpooled.wrappedBuffer(encode(PDataTf.of(new Pdv(1, true, true, new byte[1000])))));
        assertThat(ch.<Object>readInbound()).isEqualTo(PDataTf.of(new Pdv(1, true, true, new byte[1000])));
    }

    @Test
    void associateRequestLongerThanItsBoundIsRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(65536, 200, 0));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(encode(PduCodecTest.fullRequest()))))
                .cause()
                .isInstanceOf(InvalidPduException.class)
                .hasMessageStartingWith("A-ASSOCIATE-RQ length ")
                .hasMessageEndingWith(" exceeds the maximum 200");
    }

    @Test
    void releaseRequestWithAnotherLengthThanFourIsInvalid() {
        assertRefused(
                "05 00 00000005 0000000000",
                AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                "A-RELEASE-RQ length 5 is not 4");
    }

    @Test
    void pdvItemLongerThanItsPduIsInvalid() {
        assertRefused(
                "04 00 00000008 00000009 01 03 0000",
                AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                "PDV item length 9 with 4 bytes left in the PDU");
    }

    @Test
    void pdvWithContextIdZeroIsInvalid() {
        assertRefused(
                "04 00 00000006 00000002 00 03",
                AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                "P-DATA-TF: presentation context ID 0 is outside 1-255");
    }

    @Test
    void itemLengthBeyondTheEndOfTheAssociateRequestIsInvalid() {
        byte[] rq = encode(PduCodecTest.fullRequest());
        int ui = PduCodecTest.indexOfItem(rq, 0x50);
        rq[ui + 2] = (byte) 0x7F; // user information item claims 32 KiB
        assertRefused(rq, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "item 50H length ");
    }

    @Test
    void maxLengthSubItemOfWrongSizeIsInvalid() {
        byte[] rq = encode(PduCodecTest.fullRequest());
        int ui = PduCodecTest.indexOfItem(rq, 0x50);
        // first sub-item is 51H with length 4: claim 3 and let the rest be misread
        rq[ui + 4 + 3] = 3;
        assertRefused(rq, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "maximum length sub-item has 3 bytes");
    }

    @Test
    void evenPresentationContextIdInARequestIsInvalid() {
        byte[] rq = encode(PduCodecTest.fullRequest());
        int pc = PduCodecTest.indexOfItem(rq, 0x20);
        rq[pc + 4] = 2;
        assertRefused(
                rq,
                AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                "A-ASSOCIATE-RQ: presentation context ID 2 is" + " even");
    }

    @Test
    void presentationContextAnswerInsideARequestIsAnUnexpectedParameter() {
        byte[] rq = encode(PduCodecTest.fullRequest());
        int pc = PduCodecTest.indexOfItem(rq, 0x20);
        rq[pc] = 0x21;
        assertRefused(rq, AAbort.REASON_UNEXPECTED_PDU_PARAMETER, "presentation context item 21H in a request");
    }

    @Test
    void truncatedAssociateRequestIsInvalid() {
        byte[] rq = HexFormat.of().parseHex("010000000010" + "0001000041414141414141414141414141414141");
        setPduLength(rq);
        assertRefused(rq, AAbort.REASON_INVALID_PDU_PARAMETER_VALUE, "A-ASSOCIATE-RQ fixed fields needs 68 bytes");
    }

    @Test
    void bytesAfterARefusedPduAreDiscarded() {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(65536, 65536, 0));
        assertThatThrownBy(() ->
                        ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex("ff0000000000"))))
                .cause()
                .isInstanceOf(InvalidPduException.class);
        ch.writeInbound(Unpooled.wrappedBuffer(encode(AReleaseRq.INSTANCE)));
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void aPduBegunAndNotFinishedWithinTheReadTimeoutRaisesPduReadTimeout() {
        List<Throwable> caught = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new PduDecoder(65536, 65536, TimeUnit.SECONDS.toNanos(2)), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        caught.add(cause);
                    }
                });
        ch.freezeTime();
        byte[] rq = encode(PduCodecTest.fullRequest());
        ch.writeInbound(Unpooled.wrappedBuffer(rq, 0, 10));
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(caught).isEmpty();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(caught)
                .singleElement(InstanceOfAssertFactories.THROWABLE)
                .isInstanceOf(PduReadTimeoutException.class)
                .hasMessage("peer sent 10 bytes of a PDU and then nothing for 2000 ms");
    }

    @Test
    void completedPdusRestartTheReadTimeout() {
        List<Throwable> caught = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(
                new PduDecoder(65536, 65536, TimeUnit.SECONDS.toNanos(2)), new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        caught.add(cause);
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.fireChannelRead(msg);
                    }
                });
        ch.freezeTime();
        byte[] a = encode(AReleaseRq.INSTANCE);
        byte[] b = encode(AReleaseRp.INSTANCE);
        // each read completes one PDU and begins the next, 1.5 s apart: progress, never a stall
        ch.writeInbound(Unpooled.wrappedBuffer(a, 0, 5));
        ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(a, 5, 5), Unpooled.wrappedBuffer(b, 0, 5)));
        ch.advanceTimeBy(1500, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(Unpooled.wrappedBuffer(b, 5, 5));
        ch.advanceTimeBy(5, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(caught).isEmpty();
        assertThat(ch.<Object>readInbound()).isEqualTo(AReleaseRq.INSTANCE);
        assertThat(ch.<Object>readInbound()).isEqualTo(AReleaseRp.INSTANCE);
    }

    private static void assertRefused(String hex, int reason, String messageStart) {
        assertRefused(HexFormat.of().parseHex(hex.replace(" ", "")), reason, messageStart);
    }

    private static void assertRefused(byte[] bytes, int reason, String messageStart) {
        EmbeddedChannel ch = new EmbeddedChannel(new PduDecoder(65536, 65536, 0));
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)))
                .isInstanceOf(DecoderException.class)
                .cause()
                .isInstanceOf(InvalidPduException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(messageStart))
                .extracting(e -> ((InvalidPduException) e).abortReason())
                .isEqualTo(reason);
    }
}
