package io.dicomspanner.dicom.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.GeneralSecurityException;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts associations (SCP) on one address: checks the called and calling AE titles, an optional filter and user
 * identity, the association limit, then negotiates against the request handler's SOP classes and hands requests to it.
 * Build with {@link #builder()}.
 */
public final class DicomServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DicomServer.class);

    private final Channel serverChannel;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final ChannelGroup connections;
    private final AtomicInteger openConnections;
    private final Set<Association> associations;
    private final DicomSettings settings;
    private final AtomicReference<SslContext> ssl;

    private DicomServer(
            Channel serverChannel,
            EventLoopGroup group,
            boolean ownsGroup,
            ChannelGroup connections,
            AtomicInteger openConnections,
            Set<Association> associations,
            DicomSettings settings,
            AtomicReference<SslContext> ssl) {
        this.serverChannel = serverChannel;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.connections = connections;
        this.openConnections = openConnections;
        this.associations = associations;
        this.settings = settings;
        this.ssl = ssl;
    }

    /**
     * Replaces the TLS context of a TLS server (renewed certificate, new trusted authorities): connections accepted from
     * now on use it; open ones keep theirs until they close.
     *
     * @throws IllegalStateException for a server started without TLS (it stays plain)
     */
    public void updateTls(SslContext context) {
        if (context == null || !context.isServer()) {
            throw new IllegalArgumentException("a DICOM server needs a server TLS context");
        }
        if (ssl.get() == null) {
            throw new IllegalStateException("this server was started without TLS");
        }
        ssl.set(context);
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The port bound, useful after binding port 0. */
    public int port() {
        return localAddress().getPort();
    }

    /** Connections open now, associated or not. */
    public int openConnections() {
        return openConnections.get();
    }

    /**
     * Stops accepting, aborts every association (A-ABORT, so peers know), closes every connection, and stops the event
     * loops if this server created them.
     */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        EventLoops.abortAll(associations, group, settings);
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsGroup) {
            EventLoops.shutdown(group);
        }
        LOG.info("DICOM server on {} stopped", serverChannel.localAddress());
    }

    /** Configures and starts a {@link DicomServer}. */
    public static final class Builder {
        private DicomSettings settings = DicomSettings.defaults();
        private String host = "0.0.0.0";
        private int port = 104;
        private Set<String> calledAeTitles = Set.of();
        private Set<String> callingAeTitles = Set.of();
        private AssociationFilter filter;
        private UserIdentityVerifier userIdentityVerifier;
        private boolean userIdentityRequired;
        private TlsSettings tls;
        private SslContext sslContext;
        private DimseRequestHandler requestHandler;
        private Consumer<Association> onAssociation;
        private BiConsumer<SocketAddress, Throwable> onTlsHandshakeFailure;
        private EventLoopGroup group;

        private Builder() {}

        public Builder settings(DicomSettings s) {
            settings = Objects.requireNonNull(s);
            return this;
        }

        /** Address to listen on; port 0 picks a free one. Default 0.0.0.0:104. */
        public Builder bind(String bindHost, int bindPort) {
            host = Objects.requireNonNull(bindHost);
            port = bindPort;
            return this;
        }

        /** AE titles this server answers to; another is rejected with called-AE-title-not-recognized. */
        public Builder calledAeTitles(Collection<String> titles) {
            calledAeTitles = Set.copyOf(titles);
            return this;
        }

        /** AE titles allowed to call; another is rejected with calling-AE-title-not-recognized. Empty = any. */
        public Builder callingAeTitles(Collection<String> titles) {
            callingAeTitles = Set.copyOf(titles);
            return this;
        }

        public Builder filter(AssociationFilter f) {
            filter = f;
            return this;
        }

        /**
         * @param required whether a requestor without user identity is rejected
         */
        public Builder userIdentity(UserIdentityVerifier verifier, boolean required) {
            userIdentityVerifier = verifier;
            userIdentityRequired = required;
            return this;
        }

        public Builder tls(TlsSettings t) {
            tls = t;
            sslContext = null;
            return this;
        }

        /**
         * TLS from a server context built elsewhere (a service's certificate bundle, say); {@link DicomServer#updateTls}
         * replaces it when certificates rotate.
         */
        public Builder tls(SslContext context) {
            if (context != null && !context.isServer()) {
                throw new IllegalArgumentException("a DICOM server needs a server TLS context");
            }
            sslContext = context;
            tls = null;
            return this;
        }

        /** The services; usually a {@link io.dicomspanner.dicom.net.service.DicomServiceRegistry}. Required. */
        public Builder requestHandler(DimseRequestHandler handler) {
            requestHandler = handler;
            return this;
        }

        /** Told about each established association, on its event loop. */
        public Builder onAssociation(Consumer<Association> listener) {
            onAssociation = listener;
            return this;
        }

        /**
         * Told about each connection whose TLS handshake failed (no or an untrusted client certificate, no common
         * protocol, not TLS at all), with the remote address and the cause, on its event loop: must not block.
         */
        public Builder onTlsHandshakeFailure(BiConsumer<SocketAddress, Throwable> listener) {
            onTlsHandshakeFailure = listener;
            return this;
        }

        /** Shared event loops, left running on close; default: the server creates its own. */
        public Builder eventLoopGroup(EventLoopGroup g) {
            group = g;
            return this;
        }

        /** Binds and starts accepting. */
        public DicomServer start() throws IOException {
            Objects.requireNonNull(requestHandler, "requestHandler");
            SslContext ssl = sslContext;
            try {
                if (tls != null) {
                    ssl = tls.newServerContext();
                }
            } catch (GeneralSecurityException e) {
                throw new IOException("TLS server setup failed: " + e.getMessage(), e);
            }
            AtomicReference<SslContext> currentSsl = new AtomicReference<>(ssl);
            DicomSettings s = settings;
            AtomicInteger open = new AtomicInteger();
            AcceptorPolicy policy = new AcceptorPolicy(
                    calledAeTitles,
                    callingAeTitles,
                    filter,
                    userIdentityVerifier,
                    userIdentityRequired,
                    requestHandler,
                    open,
                    onAssociation,
                    onTlsHandshakeFailure);
            boolean owns = group == null;
            EventLoopGroup g = owns ? EventLoops.create("dicom-server", s) : group;
            ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            Set<Association> associations = ConcurrentHashMap.newKeySet();
            ServerBootstrap b = new ServerBootstrap()
                    .group(g)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, s.acceptBacklog())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            open.incrementAndGet();
                            connections.add(ch);
                            ch.closeFuture().addListener(f -> open.decrementAndGet());
                            Association as = Association.acceptor(ch, s, policy);
                            associations.add(as);
                            as.closeFuture().thenRun(() -> associations.remove(as));
                            Pipeline.init(ch, currentSsl.get(), null, 0, s, as);
                        }
                    });
            ChannelFuture bound = b.bind(host, port).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                if (owns) {
                    EventLoops.shutdown(g);
                }
                throw new IOException(
                        "cannot listen on " + host + ":" + port + ": "
                                + bound.cause().getMessage(),
                        bound.cause());
            }
            Channel channel = bound.channel();
            LOG.info("DICOM server listening on {}{}", channel.localAddress(), ssl != null ? " (TLS)" : "");
            return new DicomServer(channel, g, owns, connections, open, associations, s, currentSsl);
        }
    }
}
