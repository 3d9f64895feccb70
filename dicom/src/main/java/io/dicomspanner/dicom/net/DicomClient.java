package io.dicomspanner.dicom.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens associations as requestor (SCU). One client serves any number of associations on its event loops ({@link
 * DicomSettings#eventLoopThreads()} threads, or a group passed in and left running on {@link #close()}).
 */
public final class DicomClient implements AutoCloseable {
    private final DicomSettings settings;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    /** Replaced by {@link #updateTls}: a new context applies to the connections opened after. */
    private volatile SslContext ssl;

    private final DimseRequestHandler requestHandler;
    private final Set<Association> associations = ConcurrentHashMap.newKeySet();

    /** A client without TLS, with its own event loops. */
    public DicomClient(DicomSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.group = EventLoops.create("dicom-client", settings);
        this.ownsGroup = true;
        this.ssl = null;
        this.requestHandler = DimseRequestHandler.NONE;
    }

    /** A client with TLS for peers that ask for it ({@link DicomPeer#tls()}), with its own event loops. */
    public DicomClient(DicomSettings settings, TlsSettings tls) throws IOException {
        this(settings, tls, null, null);
    }

    /**
     * @param tls for peers with {@link DicomPeer#tls()}, or {@code null}
     * @param group shared event loops, or {@code null} to create (and own) them
     * @param requestHandler for requests the peer sends on our associations, or {@code null} to refuse them
     */
    public DicomClient(
            DicomSettings settings, TlsSettings tls, EventLoopGroup group, DimseRequestHandler requestHandler)
            throws IOException {
        this(settings, clientContext(tls), group, requestHandler);
    }

    /**
     * A client whose TLS context is built elsewhere (a service's certificate bundle, say), for peers with
     * {@link DicomPeer#tls()}; see {@link #updateTls} to replace it when certificates rotate.
     *
     * @param ssl a client context, or {@code null} for none
     * @param group shared event loops, or {@code null} to create (and own) them
     * @param requestHandler for requests the peer sends on our associations, or {@code null} to refuse them
     */
    public DicomClient(
            DicomSettings settings, SslContext ssl, EventLoopGroup group, DimseRequestHandler requestHandler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (ssl != null && !ssl.isClient()) {
            throw new IllegalArgumentException("a DICOM client needs a client TLS context");
        }
        this.ssl = ssl;
        this.ownsGroup = group == null;
        this.group = group == null ? EventLoops.create("dicom-client", settings) : group;
        this.requestHandler = requestHandler == null ? DimseRequestHandler.NONE : requestHandler;
    }

    private static SslContext clientContext(TlsSettings tls) throws IOException {
        try {
            return tls == null ? null : tls.newClientContext();
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS client setup failed: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces the TLS context (renewed certificates, a new trust bundle): connections opened from now on use it;
     * open ones, pooled associations included, keep the one they were opened with until they close.
     */
    public void updateTls(SslContext context) {
        if (context != null && !context.isClient()) {
            throw new IllegalArgumentException("a DICOM client needs a client TLS context");
        }
        this.ssl = context;
    }

    public DicomSettings settings() {
        return settings;
    }

    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** Connects and proposes verification and the C-FIND models ({@link AssociationRequest#forQuery}). */
    public CompletableFuture<Association> connect(DicomPeer peer) {
        return connect(peer, AssociationRequest.forQuery(peer.calledAeTitle(), peer.callingAeTitle()));
    }

    /**
     * Connects (TCP, then TLS if the peer asks for it) within the connect timeout and negotiates the association.
     * The future fails with {@link AssociationRejectedException}, {@link DicomTimeoutException}, {@link TlsFailure}
     * (the handshake failed, or the peer refused the session right after it) or another {@link DicomNetworkException}
     * saying why. A peer whose {@link DicomPeer#verifyHostname()} is false is connected to without the host-name
     * check, whatever the context says.
     */
    public CompletableFuture<Association> connect(DicomPeer peer, AssociationRequest request) {
        CompletableFuture<Association> result = new CompletableFuture<>();
        SslContext ssl = this.ssl;
        if (peer.tls() && ssl == null) {
            result.completeExceptionally(
                    new DicomNetworkException(peer + " wants TLS, but this client has no TLS" + " settings"));
            return result;
        }
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        settings.connectTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        Association as = Association.requestor(ch, settings, request, requestHandler);
                        associations.add(as);
                        as.closeFuture().thenRun(() -> associations.remove(as));
                        // a connection that never opened never tells the association it closed: without this,
                        // close() would wait the ARTIM timeout for it
                        ch.closeFuture().addListener(f -> associations.remove(as));
                        Pipeline.init(
                                ch,
                                peer.tls() ? ssl : null,
                                peer.host(),
                                peer.port(),
                                peer.verifyHostname(),
                                settings,
                                as);
                        SslHandler tls = ch.pipeline().get(SslHandler.class);
                        as.establishedFuture().whenComplete((a, e) -> {
                            if (e != null) {
                                result.completeExceptionally(handshakeFailure(peer, ch, tls, e));
                            } else {
                                result.complete(a);
                            }
                        });
                    }
                });
        ChannelFuture connected = b.connect(peer.host(), peer.port());
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new DicomNetworkException(
                        "cannot connect to " + peer.host() + ":" + peer.port() + ": "
                                + f.cause().getMessage(),
                        f.cause()));
            }
        });
        return result;
    }

    /** A failed handshake as a {@link TlsFailure} saying why in a few words; any other failure as it is. */
    private static Throwable handshakeFailure(DicomPeer peer, SocketChannel ch, SslHandler tls, Throwable e) {
        if (tls == null) {
            return e;
        }
        SocketAddress address = ch.remoteAddress();
        TlsFailure failure =
                TlsFailure.of(e, address != null ? address.toString() : peer.host() + ":" + peer.port(), tls.engine());
        return failure != null ? failure : e;
    }

    /**
     * Aborts the associations still open (A-ABORT, so peers know) and stops the event loops if this client created
     * them. Release associations first for an orderly end.
     */
    @Override
    public void close() {
        EventLoops.abortAll(associations, group, settings);
        if (ownsGroup) {
            EventLoops.shutdown(group);
        }
    }
}
