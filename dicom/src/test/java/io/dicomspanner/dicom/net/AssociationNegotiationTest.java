package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.PresentationContextAc;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Association establishment, rejection, release and abort between our requestor and our acceptor. */
class AssociationNegotiationTest {
    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<Association> accepted = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    DicomServer server(UnaryOperator<DicomServer.Builder> config) throws Exception {
        DicomServer server = config.apply(DicomServer.builder()
                        .settings(FAST)
                        .bind("127.0.0.1", 0)
                        .requestHandler(new DicomServiceRegistry()
                                .register(new CEchoScp())
                                .register(new CFindScp((rq, rsp) -> rsp.complete())))
                        .onAssociation(accepted::add))
                .start();
        closeables.add(server);
        return server;
    }

    DicomClient client(DicomSettings settings) {
        DicomClient client = new DicomClient(settings);
        closeables.add(client);
        return client;
    }

    static DicomPeer peer(DicomServer server, String called, String calling) {
        return new DicomPeer("127.0.0.1", server.port(), called, calling, false);
    }

    AAssociateRj rejectionOf(CompletableFuture<Association> connecting) throws Exception {
        Throwable failure = failureOf(connecting);
        assertThat(failure).isInstanceOf(AssociationRejectedException.class);
        return ((AssociationRejectedException) failure).reject();
    }

    @Test
    void unknownCalledAeTitleIsRejectedPermanentlyByTheServiceUser() throws Exception {
        DicomServer server = server(b -> b.calledAeTitles(List.of("SPANNER")));

        CompletableFuture<Association> c = client(FAST).connect(peer(server, "OTHER", "WS1"));

        assertThat(rejectionOf(c)).isEqualTo(new AAssociateRj(1, 1, 7));
        assertThat(failureOf(c))
                .hasMessage("association rejected by OTHER: rejected-permanent, service-user:"
                        + " called-AE-title-not-recognized (1/1/7)");
        assertThat(await(client(FAST).connect(peer(server, "SPANNER", "WS1"))).isEstablished())
                .isTrue();
    }

    @Test
    void callingAeTitleOutsideTheAllowListIsRejected() throws Exception {
        DicomServer server = server(b -> b.callingAeTitles(List.of("WS1", "WS2")));

        assertThat(rejectionOf(client(FAST).connect(peer(server, "ANY", "INTRUDER"))))
                .isEqualTo(new AAssociateRj(1, 1, 3));
        assertThat(await(client(FAST).connect(peer(server, "ANY", "WS2"))).callingAeTitle())
                .isEqualTo("WS2");
    }

    @Test
    void filterCanRejectWithItsOwnReason() throws Exception {
        DicomServer server = server(b -> b.filter((rq, remote) ->
                rq.callingAeTitle().startsWith("TEMP") ? Optional.of(new AAssociateRj(2, 1, 1)) : Optional.empty()));

        assertThat(rejectionOf(client(FAST).connect(peer(server, "ANY", "TEMP1"))))
                .isEqualTo(new AAssociateRj(2, 1, 1));
    }

    @Test
    void associationBeyondTheServersLimitIsRejectedTransientlyAsLocalLimitExceeded() throws Exception {
        DicomServer server =
                server(b -> b.settings(FAST.toBuilder().maxAssociations(1).build()));
        Association first = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        AAssociateRj rj = rejectionOf(client(FAST).connect(peer(server, "ANY", "WS2")));

        assertThat(rj).isEqualTo(AAssociateRj.localLimitExceeded()).isEqualTo(new AAssociateRj(2, 3, 2));
        assertThat(rj.isTransient()).isTrue();
        await(first.release());
    }

    @Test
    void requiredUserIdentityIsCheckedAndConfirmedWhenAskedFor() throws Exception {
        DicomServer server = server(b -> b.userIdentity(
                (identity, rq) -> "alice".equals(identity.username()) && "s3cret".equals(identity.passcode()), true));
        DicomClient client = client(FAST);
        AssociationRequest plain = AssociationRequest.forEcho("ANY", "WS1");

        assertThat(rejectionOf(client.connect(peer(server, "ANY", "WS1"), plain)))
                .isEqualTo(new AAssociateRj(1, 1, 1));
        assertThat(rejectionOf(client.connect(
                        peer(server, "ANY", "WS1"),
                        plain.withUserIdentity(UserIdentityRq.usernameAndPasscode("alice", "wrong", true)))))
                .isEqualTo(new AAssociateRj(1, 1, 1));

        Association as = await(client.connect(
                peer(server, "ANY", "WS1"),
                plain.withUserIdentity(UserIdentityRq.usernameAndPasscode("alice", "s3cret", true))));

        assertThat(as.associateAc().userInformation().userIdentityResponse()).isPresent();
        assertThat(accepted.get(0).userIdentity().orElseThrow().username()).isEqualTo("alice");
    }

    @Test
    void userIdentityWithoutAVerifierIsAcceptedWithoutResponse() throws Exception {
        DicomServer server = server(b -> b);

        Association as = await(client(FAST)
                .connect(
                        peer(server, "ANY", "WS1"),
                        AssociationRequest.forEcho("ANY", "WS1")
                                .withUserIdentity(UserIdentityRq.username("bob", true))));

        assertThat(as.associateAc().userInformation().userIdentityResponse()).isEmpty();
        assertThat(accepted.get(0).userIdentity().orElseThrow().username()).isEqualTo("bob");
    }

    @Test
    void acceptorPicksTheFirstOfItsOwnPreferredTransferSyntaxesThatWasProposed() throws Exception {
        DicomServer server = server(b -> b.settings(FAST.toBuilder()
                .transferSyntaxes(
                        List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
                .build()));

        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        assertThat(as.presentationContexts())
                .extracting(PresentationContext::transferSyntax)
                .containsOnly(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
                .hasSize(4);
    }

    @Test
    void contextsWithoutACommonTransferSyntaxOrAbstractSyntaxAreRejectedWithTheirReason() throws Exception {
        DicomServer server = server(b -> b.settings(FAST.toBuilder()
                        .transferSyntaxes(List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))
                        .build())
                .requestHandler(new DicomServiceRegistry().register(new CEchoScp())));
        AssociationRequest explicitOnly = AssociationRequest.forQuery("ANY", "WS1")
                .withTransferSyntaxes(List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1"), explicitOnly));

        assertThat(as.presentationContexts()).isEmpty();
        assertThat(as.associateAc().presentationContexts())
                .extracting(PresentationContextAc::id, PresentationContextAc::result)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED),
                        org.assertj.core.groups.Tuple.tuple(3, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED),
                        org.assertj.core.groups.Tuple.tuple(5, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED),
                        org.assertj.core.groups.Tuple.tuple(7, PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED));
        assertThat(failureOf(CEchoScu.echo(as)))
                .hasMessageStartingWith("no presentation context accepted for Verification");
    }

    @Test
    void requestorReleaseClosesBothSides() throws Exception {
        DicomServer server = server(b -> b);
        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        await(as.release());

        await(accepted.get(0).closeFuture());
        assertThat(as.isEstablished()).isFalse();
        assertThat(accepted.get(0).isEstablished()).isFalse();
    }

    @Test
    void acceptorMayReleaseToo() throws Exception {
        DicomServer server = server(b -> b);
        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        await(accepted.get(0).release());

        await(as.closeFuture());
        assertThat(as.isEstablished()).isFalse();
    }

    @Test
    void releaseCollisionEndsBothSides() throws Exception {
        DicomServer server = server(b -> b);
        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));
        Association scp = accepted.get(0);

        CompletableFuture<Void> a = as.release();
        CompletableFuture<Void> b = scp.release();

        await(a);
        await(b);
    }

    @Test
    void abortEndsThePeersAssociationAndItsOperations() throws Exception {
        DicomServer server = server(b -> b);
        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        as.abort();

        await(accepted.get(0).closeFuture());
        await(as.closeFuture());
        assertThat(failureOf(CEchoScu.echo(as)))
                .isInstanceOf(AssociationAbortedException.class)
                .hasMessage("aborted by this side (service-user: not-significant (0/0))");
    }

    @Test
    void acceptorAbortsAnAssociationIdleForLongerThanItsIdleTimeout() throws Exception {
        DicomServer server = server(b -> b.settings(
                FAST.toBuilder().acceptorIdleTimeout(Duration.ofMillis(300)).build()));
        Association as = await(client(FAST).connect(peer(server, "ANY", "WS1")));

        await(as.closeFuture());

        assertThat(failureOf(CEchoScu.echo(as)))
                .isInstanceOf(AssociationAbortedException.class)
                .hasMessage("peer aborted the association (service-user: not-significant (0/0))");
    }

    @Test
    void requestorProposesItsSettingsAndAcceptorAnswersWithItsOwn() throws Exception {
        DicomServer server = server(
                b -> b.settings(FAST.toBuilder().maxPduLengthReceive(32768).build()));
        DicomSettings scu = FAST.toBuilder()
                .maxPduLengthReceive(20000)
                .maxPduLengthSend(100_000)
                .build();

        Association as = await(client(scu).connect(peer(server, "ANY", "WS1")));

        assertThat(accepted.get(0).associateRq().userInformation().maxPduLength())
                .isEqualTo(20000);
        assertThat(accepted.get(0).maxPduLengthSend()).isEqualTo(20000);
        assertThat(as.maxPduLengthSend()).isEqualTo(32768);
        assertThat(as.associateRq().userInformation().asyncOperationsWindow()).isEmpty();
        assertThat(as.maxOperationsInvoked()).isEqualTo(1);
    }
}
