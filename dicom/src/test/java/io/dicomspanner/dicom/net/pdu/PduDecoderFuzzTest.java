package io.dicomspanner.dicom.net.pdu;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

/**
 * Any byte stream is framed into PDUs or refused with an {@link InvalidPduException} that carries an A-ABORT reason;
 * the decoder never throws anything else and never buffers more than one bounded PDU.
 */
class PduDecoderFuzzTest {

    @FuzzTest
    void everyStreamDecodesToPdusOrAnAbortReason(byte[] stream) {
        EmbeddedChannel channel = new EmbeddedChannel(new PduDecoder(16384, 65536, 0));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(stream));
            for (Object pdu; (pdu = channel.readInbound()) != null; ) {
                if (!(pdu instanceof Pdu)) {
                    throw new AssertionError("decoded a " + pdu.getClass().getName());
                }
            }
        } catch (DecoderException e) {
            if (!(e.getCause() instanceof InvalidPduException invalid)) {
                throw e;
            }
            invalid.toAbort();
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
