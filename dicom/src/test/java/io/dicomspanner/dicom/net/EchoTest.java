package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
