package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.Pdu;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;

/** The last stage of the pipeline: hands decoded PDUs and transport events to the {@link Association}. */
final class AssociationHandler extends ChannelInboundHandlerAdapter {
    private final Association association;

    AssociationHandler(Association association) {
        this.association = association;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // with TLS the transport is ready once the handshake is done: the ARTIM timer and A-ASSOCIATE-RQ wait for it
        if (ctx.pipeline().get(SslHandler.class) == null) {
            association.onTransportActive();
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Pdu pdu) {
            association.onPdu(pdu);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        association.onTransportError(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        association.onTransportClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        association.onWritabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent e) {
            if (e.isSuccess()) {
                association.onTransportActive();
            } else {
                association.onTlsFailure(e.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }
}
