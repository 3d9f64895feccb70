package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.pdu.AAbort;
import io.dicomspanner.dicom.net.pdu.AReleaseRp;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EchoTest {
    DicomServer server;
    DicomClient client;
    final CompletableFuture<Association> serverSide = new CompletableFuture<>();

    @BeforeEach
    void start() throws Exception {
        server = DicomServer.builder()
                .settings(FAST)
                .bind("127.0.0.1", 0)
                .calledAeTitles(List.of("ECHOSCP"))
                .requestHandler(new DicomServiceRegistry().register(new CEchoScp()))
                .onAssociation(serverSide::complete)
                .start();
        client = new DicomClient(FAST);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void echoScuGetsSuccessFromEchoScp() throws Exception {
        Association as = await(client.connect(new DicomPeer("127.0.0.1", server.port(), "ECHOSCP", "ECHOSCU", false)));
        assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
        assertThat(await(CEchoScu.echo(as))).isEqualTo(Status.SUCCESS);
        await(as.release());
        assertThat(as.isEstablished()).isFalse();
        await(await(serverSide).closeFuture());
    }

    /**
     * A server that counts its established associations against a limit (a PACS with a licence limit) must not count
     * one its peer has released: the peer may open its next association the moment the A-RELEASE-RP arrives, so the
     * association is no longer established when its A-RELEASE-RP is written.
     */
    @Test
    void anAssociationThePeerReleasesIsNoLongerEstablishedWhenItsReleaseRpIsWritten() throws Exception {
        Association as = await(client.connect(new DicomPeer("127.0.0.1", server.port(), "ECHOSCP", "ECHOSCU", false)));
        Association scp = await(serverSide);
        List<String> written = watchWrites(scp);

        await(as.release());
        await(scp.closeFuture());

        assertThat(written).containsExactly("A-RELEASE-RP, established: false");
    }

    /** The same for an abort: the peer learns of it only once the association is no longer established. */
    @Test
    void anAssociationThisSideAbortsIsNoLongerEstablishedWhenItsAbortIsWritten() throws Exception {
        Association as = await(client.connect(new DicomPeer("127.0.0.1", server.port(), "ECHOSCP", "ECHOSCU", false)));
        Association scp = await(serverSide);
        List<String> written = watchWrites(scp);

        scp.abort();
        await(as.closeFuture());

        assertThat(written).containsExactly("A-ABORT, established: false");
    }

    /** Records each A-RELEASE-RP and A-ABORT written on the association, with whether it was established then. */
    private static List<String> watchWrites(Association association) throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        ChannelOutboundHandlerAdapter watch = new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
                String what = msg instanceof AReleaseRp ? "A-RELEASE-RP" : msg instanceof AAbort ? "A-ABORT" : null;
                if (what != null) {
                    written.add(what + ", established: " + association.isEstablished());
                }
                super.write(ctx, msg, promise);
            }
        };
        // on the event loop, so the handler is in place before the next write
        association
                .channel()
                .eventLoop()
                .submit(() -> association.channel().pipeline().addLast(watch))
                .get(10, TimeUnit.SECONDS);
        return written;
    }

    @Test
    void negotiationAcceptsOnlyVerificationAndExchangesImplementationIdentity() throws Exception {
        Association as = await(client.connect(new DicomPeer("127.0.0.1", server.port(), "ECHOSCP", "ECHOSCU", false)));
        assertThat(as.presentationContexts())
                .containsExactly(
                        new PresentationContext(1, SopClasses.VERIFICATION, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        assertThat(as.associateAc().userInformation().implementationClassUid())
                .isEqualTo(DicomFile.IMPLEMENTATION_CLASS_UID);
        assertThat(as.associateAc().userInformation().implementationVersionName())
                .isEqualTo(DicomFile.IMPLEMENTATION_VERSION_NAME);
        assertThat(as.associateAc().userInformation().maxPduLength()).isEqualTo(65536);
        Association scp = await(serverSide);
        assertThat(scp.callingAeTitle()).isEqualTo("ECHOSCU");
        assertThat(scp.calledAeTitle()).isEqualTo("ECHOSCP");
        assertThat(scp.associateRq().presentationContexts()).hasSize(4);
        await(as.release());
    }
}
