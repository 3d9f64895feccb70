package io.dicomspanner.simulator.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.dicomspanner.dicom.interop.UnusualPorts;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRejectedException;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.simulator.SimulatedFleet;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated PACS with {@code --max-associations 2} counts its concurrent associations as the dicom module's own SCU
 * opens and releases them: it rejects the third, accepts again once one is closed, and reports the most it held at
 * once and the rejections each time they grow.
 */
class AssociationCountTest {
    private static final String HOST = NetworkSettings.DEFAULT_BIND_ADDRESS;

    NetworkedFleet running;
    DicomClient client;
    final List<String> reported = new CopyOnWriteArrayList<>();

    @BeforeEach
    void onePacsAllowingTwo() throws Exception {
        PacsSettings pacs = PacsSettings.defaults(0)
                .withoutQuirks()
                .withLatency(0, 0)
                .withPort(UnusualPorts.pick())
                .withMaxAssociations(2);
        SimulatorSettings settings =
                new SimulatorSettings(PopulationSettings.defaults().withSeed(3).withPatients(10), List.of(pacs));
        running = NetworkedFleet.start(
                SimulatedFleet.build(settings),
                NetworkSettings.defaults(),
                (p, stats) ->
                        reported.add(p.name() + " max " + stats.maxConcurrent() + " rejected " + stats.rejected()));
        client = new DicomClient(DicomSettings.defaults());
    }

    @AfterEach
    void stop() {
        client.close();
        running.close();
    }

    SimulatedPacsServer server() {
        return running.servers().get(0);
    }

    Association connect() throws Exception {
        SimulatedPacsServer s = server();
        AssociationRequest request = AssociationRequest.forEcho(s.pacs().aeTitle(), "COUNTED");
        return client.connect(new DicomPeer(HOST, s.port(), s.pacs().aeTitle(), "COUNTED", false), request)
                .get(30, TimeUnit.SECONDS);
    }

    AAssociateRj rejection() {
        Throwable failure = catchThrowable(this::connect);
        assertThat(failure)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AssociationRejectedException.class);
        return ((AssociationRejectedException) failure.getCause()).reject();
    }

    /**
     * The PACS's count once it has seen the end of released associations: the SCU's release completes when it has read
     * the A-RELEASE-RP and closed, a moment before or after the PACS's own bookkeeping. Bounded.
     */
    AssociationCount.Stats statsOnceCurrentIs(int current) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        AssociationCount.Stats stats = server().associations().stats();
        while (stats.current() != current && System.nanoTime() < deadline) {
            Thread.sleep(5);
            stats = server().associations().stats();
        }
        return stats;
    }

    @Test
    void theAssociationPastTheLimitIsRejectedAndCountedAndOneClosedMakesRoomAgain() throws Exception {
        Association first = connect();
        Association second = connect();
        assertThat(CEchoScu.echo(second).get(10, TimeUnit.SECONDS)).isZero();

        AAssociateRj reject = rejection();

        assertThat(reject).isEqualTo(AAssociateRj.localLimitExceeded());
        assertThat(reject.isTransient()).isTrue();
        assertThat(server().associations().stats()).isEqualTo(new AssociationCount.Stats(2, 2, 1));

        first.release().get(10, TimeUnit.SECONDS);
        assertThat(statsOnceCurrentIs(1)).isEqualTo(new AssociationCount.Stats(1, 2, 1));
        Association third = connect();
        assertThat(server().associations().stats()).isEqualTo(new AssociationCount.Stats(2, 2, 1));
        assertThat(rejection()).isEqualTo(AAssociateRj.localLimitExceeded());

        second.release().get(10, TimeUnit.SECONDS);
        third.release().get(10, TimeUnit.SECONDS);
        assertThat(statsOnceCurrentIs(0)).isEqualTo(new AssociationCount.Stats(0, 2, 2));
        assertThat(reported)
                .containsExactly(
                        "PACS_A max 1 rejected 0",
                        "PACS_A max 2 rejected 0",
                        "PACS_A max 2 rejected 1",
                        "PACS_A max 2 rejected 2");
    }

    @Test
    void associationsOpenedOneAfterAnotherNeverCountMoreThanOne() throws Exception {
        for (int i = 0; i < 5; i++) {
            Association as = connect();
            assertThat(CEchoScu.echo(as).get(10, TimeUnit.SECONDS)).isZero();
            as.release().get(10, TimeUnit.SECONDS);
            assertThat(statsOnceCurrentIs(0).current()).isZero();
        }
        assertThat(statsOnceCurrentIs(0)).isEqualTo(new AssociationCount.Stats(0, 1, 0));
        assertThat(reported).containsExactly("PACS_A max 1 rejected 0");
    }
}
