package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.PduDecoder;
import io.dicomspanner.dicom.net.pdu.PduEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The channel pipeline of every DICOM connection, client or server: [TLS] → PDU framing and decoding → PDU encoding
 * → association (Upper Layer state machine, DIMSE). Also sets TCP_NODELAY: without it, peers that send a PDU in two
 * writes wait 40-80 ms per exchange on delayed ACKs.
 */
final class Pipeline {
    private Pipeline() {}

    static void init(Channel ch, SslContext ssl, String peerHost, int peerPort, DicomSettings s, Association as) {
        init(ch, ssl, peerHost, peerPort, true, s, as);
    }

    /**
     * @param verifyHostname {@code false} turns the context's host-name check off for this connection (set on its
     *     engine before the handshake starts)
     */
    static void init(
            Channel ch,
            SslContext ssl,
            String peerHost,
            int peerPort,
            boolean verifyHostname,
            DicomSettings s,
            Association as) {
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        ch.config()
                .setWriteBufferWaterMark(
                        new WriteBufferWaterMark(s.writeBufferHighWaterMark() / 2, s.writeBufferHighWaterMark()));
        if (ssl != null) {
            SslHandler tls =
                    peerHost != null ? ssl.newHandler(ch.alloc(), peerHost, peerPort) : ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(s.connectTimeout().toMillis());
            if (!verifyHostname) {
                SSLEngine engine = tls.engine();
                SSLParameters parameters = engine.getSSLParameters();
                // "", not null: JSSE keeps the algorithm it has when given null
                parameters.setEndpointIdentificationAlgorithm("");
                engine.setSSLParameters(parameters);
            }
            ch.pipeline().addLast("tls", tls);
        }
        ch.pipeline()
                .addLast(
                        "pdu-decoder",
                        new PduDecoder(
                                s.maxPduLengthReceive(),
                                s.maxAssociatePduLength(),
                                s.pduReadTimeout().toNanos()));
        ch.pipeline().addLast("pdu-encoder", PduEncoder.INSTANCE);
        ch.pipeline().addLast("association", new AssociationHandler(as));
    }
}
