package io.dicomspanner.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes {@link Pdu} records to bytes (see {@link PduWriter}). Stateless, so one instance serves every channel. */
@ChannelHandler.Sharable
public final class PduEncoder extends MessageToByteEncoder<Pdu> {
    public static final PduEncoder INSTANCE = new PduEncoder();

    private PduEncoder() {
        super(Pdu.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Pdu pdu, boolean preferDirect) {
        int size = PduWriter.sizeHint(pdu);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Pdu pdu, ByteBuf out) {
        PduWriter.write(pdu, out);
    }
}
