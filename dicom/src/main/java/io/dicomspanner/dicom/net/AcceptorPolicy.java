package io.dicomspanner.dicom.net;

import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A server's rules for accepting associations, shared by all its connections.
 *
 * @param calledAeTitles the AE titles this server answers to; empty = any
 * @param callingAeTitles the AE titles allowed to call; empty = any
 * @param filter further checks, or {@code null}
 * @param userIdentityVerifier checks an offered identity, or {@code null} to accept any (and send no response)
 * @param userIdentityRequired reject requestors that offer no identity
 * @param openConnections connections open on this server, this one included
 * @param onEstablished told about each accepted association, or {@code null}
 * @param onTlsHandshakeFailure told about each connection whose TLS handshake failed (remote address, cause), or {@code null}
 */
record AcceptorPolicy(
        Set<String> calledAeTitles,
        Set<String> callingAeTitles,
        AssociationFilter filter,
        UserIdentityVerifier userIdentityVerifier,
        boolean userIdentityRequired,
        DimseRequestHandler requestHandler,
        AtomicInteger openConnections,
        Consumer<Association> onEstablished,
        BiConsumer<SocketAddress, Throwable> onTlsHandshakeFailure) {}
