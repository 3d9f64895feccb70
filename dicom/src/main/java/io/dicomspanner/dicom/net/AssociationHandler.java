package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.Pdu;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The last stage of the pipeline: hands decoded PDUs and transport events to the {@link Association}. */
final class AssociationHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AssociationHandler.class);

    private final Association association;

    AssociationHandler(Association association) {
        this.association = association;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        association.onTransportActive();
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
        if (evt instanceof SslHandshakeCompletionEvent e && !e.isSuccess()) {
            LOG.warn("{}: TLS handshake failed: {}", association, e.cause().toString());
        }
        ctx.fireUserEventTriggered(evt);
    }
}
