package io.dicomspanner.dicom.net;

import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.pdu.AAbort;
import io.dicomspanner.dicom.net.pdu.AAssociateAc;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.ImplementationClassUid;
import io.dicomspanner.dicom.net.pdu.MaxLength;
import io.dicomspanner.dicom.net.pdu.PDataTf;
import io.dicomspanner.dicom.net.pdu.Pdu;
import io.dicomspanner.dicom.net.pdu.Pdv;
import io.dicomspanner.dicom.net.pdu.PresentationContextAc;
import io.dicomspanner.dicom.net.pdu.RoleSelection;
import io.dicomspanner.dicom.net.pdu.UserInformation;
import io.dicomspanner.dicom.net.pdu.UserInformationItem;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.testing.LogCapture;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that breaks the protocol gets A-ABORT with the source and reason PS3.8 §9.3.8 gives, a clear log line, and
 * its connection closed; nothing hangs. Driven from a plain socket so every byte is the test's.
 */
class UpperLayerBadInputTest {
    static final DicomSettings SETTINGS = NetTestSupport.FAST.toBuilder()
            .artimTimeout(Duration.ofMillis(800))
            .pduReadTimeout(Duration.ofSeconds(1))
            .maxPduLengthReceive(16384)
            .maxMessageSize(100_000)
            .build();

    DicomServer server;
    LogCapture log;

    @BeforeEach
    void start() throws Exception {
        log = LogCapture.of(Association.class);
        server = DicomServer.builder()
                .settings(SETTINGS)
                .bind("127.0.0.1", 0)
                .requestHandler(new DicomServiceRegistry()
                        .register(new CEchoScp())
                        .register(new CFindScp((rq, rsp) -> rsp.complete())))
                .start();
    }

    @AfterEach
    void stop() {
        server.close();
        log.close();
    }

    static AAssociateRq echoRequest() {
        return AssociationRequest.forEcho("ANY-SCP", "RAWSCU").toPdu(SETTINGS);
    }

    /** Opens an association by hand; returns the peer with the A-ASSOCIATE-AC read. */
    RawPeer associated() throws Exception {
        RawPeer peer = RawPeer.connect(server.port());
        peer.send(echoRequest());
        assertThat(peer.receive()).isInstanceOf(AAssociateAc.class);
        return peer;
    }

    static String abortHex(int source, int reason) {
        return String.format("070000000004" + "0000%02x%02x", source, reason);
    }

    void assertLogged(String fragment) {
        assertThat(log.lines()).anySatisfy(line -> assertThat(line).contains(fragment));
    }

    @Test
    void noAssociateRequestWithinArtimClosesTheConnection() throws Exception {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("WARN acceptor#");
        assertLogged("no A-ASSOCIATE-RQ within ARTIM 800 ms; closing");
    }

    @Test
    void unknownPduTypeIsAbortedAsUnrecognizedPdu() throws Exception {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.sendHex("08 00 00000004 00000000");
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 1));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("aborting (service-provider: unrecognized-PDU (2/1)): invalid PDU: unknown PDU type 08H");
    }

    @Test
    void associateRequestWithAnItemLongerThanItsPduIsAbortedAsInvalidParameterValue() throws Exception {
        byte[] rq = RawPeer.encode(echoRequest());
        rq[6 + 68 + 2] = 0x7F; // application context item claims 32 KiB
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(rq);
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 6));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("invalid PDU: item 10H length 32533 with");
    }

    @Test
    void associateRequestLongerThanTheBoundIsAbortedBeforeItsBodyArrives() throws Exception {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.sendHex("01 00 00100000"); // 1 MiB announced, nothing more sent
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 6));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("invalid PDU: A-ASSOCIATE-RQ length 1048576 exceeds the maximum 65536");
    }

    @Test
    void pDataBeforeTheAssociationIsAbortedAsUnexpectedPdu() throws Exception {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(PDataTf.of(new Pdv(1, true, true, new byte[] {0, 0, 0, 0})));
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 2));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("unexpected P-DATA-TF in state AWAITING_ASSOCIATE_RQ");
    }

    @Test
    void peerThatSendsHalfAPduAndStallsIsAbortedAfterThePduReadTimeout() throws Exception {
        try (RawPeer peer = associated()) {
            peer.sendHex("04 00 00000100 000000fc 01 03 0000"); // 256-byte P-DATA-TF, 14 bytes sent
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 0));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("peer sent 14 bytes of a PDU and then nothing for 1000 ms");
    }

    @Test
    void pDataLongerThanTheAnnouncedMaximumIsAbortedAsInvalidParameterValue() throws Exception {
        try (RawPeer peer = associated()) {
            peer.sendHex("04 00 00004001"); // 16385 > 16384 announced
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 6));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("invalid PDU: P-DATA-TF length 16385 exceeds the maximum 16384");
    }

    @Test
    void pDataOnAPresentationContextNotAcceptedIsAbortedAsInvalidParameterValue() throws Exception {
        try (RawPeer peer = associated()) {
            peer.send(PDataTf.of(new Pdv(99, true, true, new byte[] {0, 0, 0, 0})));
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 6));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("PDV on presentation context 99, which was not accepted");
    }

    @Test
    void dataSetFragmentBeforeAnyCommandIsAbortedAsUnexpectedParameter() throws Exception {
        try (RawPeer peer = associated()) {
            peer.send(PDataTf.of(new Pdv(1, false, true, new byte[] {0, 0, 0, 0})));
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 5));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("a data set fragment arrived before any command");
    }

    @Test
    void messageGrowingPastTheMaximumMessageSizeIsAbortedByTheServiceUser() throws Exception {
        try (RawPeer peer = associated()) {
            for (int i = 0; i < 8; i++) {
                peer.send(PDataTf.of(new Pdv(1, true, false, new byte[16000])));
            }
            assertThat(peer.receiveHex()).isEqualTo(abortHex(0, 0));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("DIMSE message exceeds the maximum message size of 100000 bytes (112000 so far)");
    }

    @Test
    void commandSetThatDoesNotParseIsAbortedByTheServiceUser() throws Exception {
        try (RawPeer peer = associated()) {
            // (0000,0100) with a length of 200 in a 10-byte command
            peer.send(PDataTf.of(new Pdv(1, true, true, HexFormat.of().parseHex("00000001c8000000"))));
            assertThat(peer.receiveHex()).isEqualTo(abortHex(0, 0));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("command set does not parse");
    }

    @Test
    void emptyCommandSetIsAbortedByTheServiceUserAtOnce() throws Exception {
        try (RawPeer peer = associated()) {
            // a last command fragment of no bytes: a command without Command Field, which no service answers
            peer.send(PDataTf.of(new Pdv(1, true, true, new byte[0])));
            assertThat(peer.receiveHex()).isEqualTo(abortHex(0, 0));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("command set has no Command Field (0000,0100)");
    }

    @Test
    void secondAssociateRequestIsAbortedAsUnexpectedPdu() throws Exception {
        try (RawPeer peer = associated()) {
            peer.send(echoRequest());
            assertThat(peer.receiveHex()).isEqualTo(abortHex(2, 2));
            assertThat(peer.closedByPeer()).isTrue();
        }
        assertLogged("unexpected A-ASSOCIATE-RQ in state ESTABLISHED");
    }

    @Test
    void echoByHandFollowedByReleaseGetsResponseAndReleaseResponse() throws Exception {
        try (RawPeer peer = associated()) {
            Attributes echo = Commands.echoRq().setInt(Tag.MESSAGE_ID, VR.US, 7);
            peer.send(PDataTf.of(new Pdv(1, true, true, Commands.encode(echo))));
            PDataTf rsp = (PDataTf) peer.receive();
            Attributes command = Commands.decode(rsp.pdvs().get(0).fragment());
            assertThat(command.getInt(Tag.COMMAND_FIELD, -1)).isEqualTo(CommandField.C_ECHO_RSP);
            assertThat(command.getInt(Tag.MESSAGE_ID_BEING_RESPONDED_TO, -1)).isEqualTo(7);
            assertThat(command.getInt(Tag.STATUS, -1)).isEqualTo(Status.SUCCESS);
            assertThat(command.getString(Tag.AFFECTED_SOP_CLASS_UID)).isEqualTo(SopClasses.VERIFICATION);
            peer.sendHex("05 00 00000004 00000000");
            assertThat(peer.receiveHex()).isEqualTo("06000000000400000000");
        }
    }

    @Test
    void acceptorAnswersRoleSelectionOnlyForAcceptedSopClassesAndNeverTakesTheScuRole() throws Exception {
        AAssociateRq plain = echoRequest();
        List<UserInformationItem> items =
                new ArrayList<>(plain.userInformation().items());
        items.add(new RoleSelection(SopClasses.VERIFICATION, true, true));
        items.add(new RoleSelection("1.2.840.10008.5.1.4.1.1.2", true, true)); // CT storage: not proposed
        AAssociateRq rq = new AAssociateRq(
                1,
                "ANY-SCP",
                "RAWSCU",
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                plain.presentationContexts(),
                new UserInformation(items));
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.send(rq);
            AAssociateAc ac = (AAssociateAc) peer.receive();
            assertThat(ac.userInformation().roleSelections())
                    .containsExactly(new RoleSelection(SopClasses.VERIFICATION, true, false));
            assertThat(ac.presentationContexts())
                    .containsExactly(
                            new PresentationContextAc(1, PresentationContextAc.ACCEPTANCE, "1.2.840.10008.1.2.1"));
        }
    }

    @Test
    void clientAbortsAnAcceptorThatAnswersWithAnUnknownPdu() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DicomClient client = new DicomClient(SETTINGS)) {
            CompletableFuture<Association> connecting =
                    client.connect(new DicomPeer("127.0.0.1", fake.getLocalPort(), "FAKE", "ME", false));
            try (RawPeer acceptor = new RawPeer(fake.accept())) {
                assertThat(acceptor.receive()).isInstanceOf(AAssociateRq.class);
                acceptor.sendHex("0a 00 00000004 00000000");
                Throwable failure = failureOf(connecting);
                assertThat(failure)
                        .isInstanceOf(AssociationAbortedException.class)
                        .hasMessage("peer sent an invalid PDU: unknown PDU type 0AH"
                                + " (service-provider: unrecognized-PDU (2/1))");
                assertThat(acceptor.receiveHex()).isEqualTo(abortHex(2, 1));
            }
        }
    }

    @Test
    void closingTheClientAbortsAndClosesEvenWhenThePeerNeverClosesItsSide() throws Exception {
        // An ARTIM far beyond the raw peer's 5 s read timeout: waiting for the peer would fail this test.
        DicomSettings patient =
                SETTINGS.toBuilder().artimTimeout(Duration.ofSeconds(60)).build();
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DicomClient client = new DicomClient(patient);
            CompletableFuture<Association> connecting =
                    client.connect(new DicomPeer("127.0.0.1", fake.getLocalPort(), "FAKE", "ME", false));
            try (RawPeer acceptor = new RawPeer(fake.accept())) {
                AAssociateRq rq = (AAssociateRq) acceptor.receive();
                acceptor.send(new AAssociateAc(
                        1,
                        rq.calledAeTitle(),
                        rq.callingAeTitle(),
                        AAssociateRq.DICOM_APPLICATION_CONTEXT,
                        List.of(new PresentationContextAc(
                                rq.presentationContexts().get(0).id(),
                                PresentationContextAc.ACCEPTANCE,
                                "1.2.840.10008.1.2")),
                        UserInformation.of(new MaxLength(0), new ImplementationClassUid("1.2.3.4"))));
                Association association = connecting.get(5, TimeUnit.SECONDS);

                CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close);

                // Read while close() runs: a client waiting for the peer leaves this read to time out (5 s).
                assertThat(acceptor.receive()).isEqualTo(AAbort.byServiceUser());
                assertThat(acceptor.closedByPeer()).isTrue();
                closing.get(10, TimeUnit.SECONDS);
                assertThat(association.closeFuture()).isCompleted();
            }
        }
    }

    @Test
    void clientGivesUpOnAnAcceptorThatNeverAnswers() throws Exception {
        DicomSettings impatient =
                SETTINGS.toBuilder().associateTimeout(Duration.ofMillis(300)).build();
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                DicomClient client = new DicomClient(impatient)) {
            CompletableFuture<Association> connecting =
                    client.connect(new DicomPeer("127.0.0.1", fake.getLocalPort(), "FAKE", "ME", false));
            try (RawPeer acceptor = new RawPeer(fake.accept())) {
                assertThat(acceptor.receive()).isInstanceOf(AAssociateRq.class);
                assertThat(failureOf(connecting))
                        .isInstanceOf(DicomTimeoutException.class)
                        .hasMessage("no A-ASSOCIATE-AC within 300 ms");
                Pdu abort = acceptor.receive();
                assertThat(abort).isEqualTo(AAbort.byServiceUser());
            }
        }
    }

    @Test
    void connectingToAClosedPortFailsWithTheReason() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (DicomClient client = new DicomClient(SETTINGS)) {
            Throwable failure = failureOf(client.connect(new DicomPeer("127.0.0.1", port, "NONE", "ME", false)));
            assertThat(failure)
                    .isInstanceOf(DicomNetworkException.class)
                    .hasMessageStartingWith("cannot connect to 127.0.0.1:" + port + ": ");
        }
    }

    @Test
    void openConnectionsReturnToZeroAfterEveryAbort() throws Exception {
        try (RawPeer peer = RawPeer.connect(server.port())) {
            peer.sendHex("ff 00 00000004 00000000");
            assertThat(peer.closedByPeer()).isTrue();
        }
        try (DicomClient client = new DicomClient(SETTINGS)) {
            Association as = await(client.connect(new DicomPeer("127.0.0.1", server.port(), "ANY", "ME", false)));
            await(as.release());
        }
        // the server counts its connections down on close; wait for that without timing
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.openConnections() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.openConnections()).isZero();
    }
}
