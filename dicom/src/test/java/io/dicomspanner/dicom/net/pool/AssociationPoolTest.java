package io.dicomspanner.dicom.net.pool;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AssociationPoolTest {
    final ExecutorService worker = Executors.newFixedThreadPool(4);
    final List<Association> accepted = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    DicomServer server;
    DicomPeer peer;

    @BeforeEach
    void start() throws Exception {
        server = server(FAST);
        peer = new DicomPeer("127.0.0.1", server.port(), "PACS", "SPANNER", false);
    }

    DicomServer server(DicomSettings settings) throws Exception {
        return DicomServer.builder()
                .settings(settings)
                .bind("127.0.0.1", 0)
                .requestHandler(new DicomServiceRegistry()
                        .register(new CEchoScp())
                        .register(new CFindScp((request, responder) -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            String id = request.identifier().getString(Tag.PATIENT_ID);
                            worker.execute(() -> {
                                sleepBriefly();
                                responder.pending(new Attributes()
                                        .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                                        .setString(Tag.PATIENT_ID, VR.LO, id));
                                running.decrementAndGet();
                                responder.complete();
                            });
                        })))
                .onAssociation(as -> {
                    accepted.add(as);
                    maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                    as.closeFuture().thenRun(open::decrementAndGet);
                })
                .start();
    }

    /** Keeps operations overlapping so the pool must queue; not a timing assertion. */
    static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        server.close();
        worker.shutdownNow();
    }

    static Attributes patient(String id) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setString(Tag.PATIENT_ID, VR.LO, id);
    }

    static CompletableFuture<FindResult> find(AssociationPool pool, DicomPeer peer, String id) {
        return pool.withAssociation(peer, as -> CFindScu.findAll(as, FindQuery.patientRoot(patient(id))));
    }

    @Test
    void sixtyFourConcurrentFindsNeverOpenMoreThanThePerPeerMaximum() throws Exception {
        DicomSettings settings = FAST.toBuilder().poolMaxAssociationsPerPeer(4).build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            List<CompletableFuture<FindResult>> finds = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                finds.add(find(pool, peer, "P" + i));
            }

            for (int i = 0; i < 64; i++) {
                FindResult r = await(finds.get(i));
                assertThat(r.status()).isEqualTo(Status.SUCCESS);
                assertThat(r.matches()).singleElement().isEqualTo(patient("P" + i));
            }
            assertThat(maxOpen.get()).isBetween(1, 4);
            assertThat(maxRunning.get()).isLessThanOrEqualTo(4);
            assertThat(accepted).hasSizeLessThanOrEqualTo(4);
            PoolStats stats = pool.stats(peer);
            assertThat(stats.leased()).isZero();
            assertThat(stats.waiting()).isZero();
            assertThat(stats.open()).isEqualTo(stats.idle()).isBetween(1, 4);
        }
    }

    @Test
    void twoThousandConcurrentFindsRunOnTheClientsFewEventLoopThreads() throws Exception {
        DicomSettings settings = FAST.toBuilder()
                .poolMaxAssociationsPerPeer(8)
                .poolMaxWaitersPerPeer(4096)
                .build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            List<CompletableFuture<FindResult>> finds = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                finds.add(find(pool, peer, "P" + i));
            }
            long clientThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("dicom-client"))
                    .count();

            for (int i = 0; i < 2000; i++) {
                assertThat(await(finds.get(i)).matches()).containsExactly(patient("P" + i));
            }
            assertThat(clientThreads).isLessThanOrEqualTo(settings.eventLoopThreads());
            assertThat(maxOpen.get()).isBetween(1, 8);
        }
    }

    @Test
    void idleAssociationIsReusedNotReopened() throws Exception {
        try (DicomClient client = new DicomClient(FAST);
                AssociationPool pool = new AssociationPool(client)) {
            for (int i = 0; i < 5; i++) {
                assertThat(await(find(pool, peer, "P" + i)).matches()).hasSize(1);
            }
            assertThat(accepted).hasSize(1);
        }
    }

    @Test
    void brokenAssociationIsDroppedAndReplaced() throws Exception {
        try (DicomClient client = new DicomClient(FAST);
                AssociationPool pool = new AssociationPool(client)) {
            assertThat(await(find(pool, peer, "A")).matches()).hasSize(1);
            Association first = accepted.get(0);

            first.abort(); // the PACS drops the association while it sits idle in the pool
            await(first.closeFuture());

            FindResult again = await(find(pool, peer, "B"));
            assertThat(again.matches()).singleElement().isEqualTo(patient("B"));
            assertThat(accepted).hasSize(2);
            assertThat(pool.stats(peer).open()).isEqualTo(1);
        }
    }

    @Test
    void associationIdleLongerThanTheIdleTimeoutIsReleased() throws Exception {
        DicomSettings settings =
                FAST.toBuilder().poolIdleTimeout(Duration.ofMillis(200)).build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            assertThat(await(pool.withAssociation(peer, CEchoScu::echo))).isEqualTo(Status.SUCCESS);

            await(accepted.get(0).closeFuture());

            assertThat(pool.stats(peer)).isEqualTo(new PoolStats(0, 0, 0, 0, 0));
        }
    }

    @Test
    void callersBeyondTheWaitQueueFailAtOnceAndWaitersTimeOut() throws Exception {
        DicomSettings settings = FAST.toBuilder()
                .poolMaxAssociationsPerPeer(1)
                .poolMaxWaitersPerPeer(1)
                .poolAcquireTimeout(Duration.ofMillis(300))
                .build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            PooledAssociation held = await(pool.acquire(peer));
            CompletableFuture<PooledAssociation> waiting = pool.acquire(peer);
            CompletableFuture<PooledAssociation> refused = pool.acquire(peer);

            assertThat(failureOf(refused))
                    .isInstanceOf(PoolExhaustedException.class)
                    .hasMessage("1 callers already wait for an association to " + peer);
            assertThat(failureOf(waiting))
                    .isInstanceOf(DicomTimeoutException.class)
                    .hasMessage("no association to " + peer + " free within 300 ms (1 open, 1 operations running)");
            held.release();
            held.release();
            assertThat(pool.stats(peer)).isEqualTo(new PoolStats(1, 0, 0, 1, 0));
        }
    }

    @Test
    void waiterGetsTheAssociationReleasedBeforeItsTimeout() throws Exception {
        DicomSettings settings = FAST.toBuilder().poolMaxAssociationsPerPeer(1).build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            PooledAssociation held = await(pool.acquire(peer));
            CompletableFuture<PooledAssociation> waiting = pool.acquire(peer);
            assertThat(pool.stats(peer).waiting()).isEqualTo(1);

            held.release();

            assertThat(await(waiting).association()).isSameAs(held.association());
            await(waiting).release();
        }
    }

    @Test
    void asynchronousOperationsWindowLetsOneAssociationCarrySeveralOperations() throws Exception {
        DicomServer windowed = server(FAST.toBuilder().maxOperationsPerformed(3).build());
        DicomPeer p = new DicomPeer("127.0.0.1", windowed.port(), "PACS", "SPANNER", false);
        DicomSettings settings = FAST.toBuilder()
                .maxOperationsInvoked(3)
                .poolMaxAssociationsPerPeer(1)
                .build();
        try (DicomClient client = new DicomClient(settings);
                AssociationPool pool = new AssociationPool(client)) {
            PooledAssociation a = await(pool.acquire(p));
            PooledAssociation b = await(pool.acquire(p));
            PooledAssociation c = await(pool.acquire(p));
            CompletableFuture<PooledAssociation> d = pool.acquire(p);

            assertThat(b.association()).isSameAs(a.association()).isSameAs(c.association());
            assertThat(d).isNotDone();
            assertThat(pool.stats(p)).isEqualTo(new PoolStats(1, 0, 3, 0, 1));
            a.release();
            assertThat(await(d).association()).isSameAs(a.association());
            b.release();
            c.release();
            await(d).release();
        } finally {
            windowed.close();
        }
    }

    @Test
    void unreachablePeerFailsTheCallerWithTheConnectError() throws Exception {
        DicomPeer nowhere = new DicomPeer("127.0.0.1", 1, "PACS", "SPANNER", false);
        try (DicomClient client = new DicomClient(FAST);
                AssociationPool pool = new AssociationPool(client)) {
            assertThat(failureOf(pool.withAssociation(nowhere, CEchoScu::echo)))
                    .hasMessageStartingWith("cannot connect to 127.0.0.1:1: ");
            assertThat(pool.stats(nowhere)).isEqualTo(new PoolStats(0, 0, 0, 0, 0));
        }
    }

    @Test
    void closingThePoolReleasesIdleAssociations() throws Exception {
        DicomClient client = new DicomClient(FAST);
        try {
            AssociationPool pool = new AssociationPool(client);
            assertThat(await(pool.withAssociation(peer, CEchoScu::echo))).isEqualTo(Status.SUCCESS);

            pool.close();

            accepted.get(0).closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(failureOf(pool.acquire(peer))).isInstanceOf(PoolExhaustedException.class);
        } finally {
            client.close();
        }
    }
}
