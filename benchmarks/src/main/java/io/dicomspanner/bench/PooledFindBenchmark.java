package io.dicomspanner.bench;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.pool.AssociationPool;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C-FIND operations through the {@link AssociationPool} against our own SCP on loopback, with {@link #IN_FLIGHT}
 * operations outstanding at all times: each of 64 lanes starts its next C-FIND when its last one ends, until {@link
 * #OPERATIONS} are done. Each C-FIND is answered with one match. The score is C-FIND operations per second. Target:
 * at least 5,000 per second with 64 in flight. The pool's per-peer maximum of associations is the parameter;
 * each association runs one operation at a time (no asynchronous operations window), so the rest wait in the pool's
 * queue.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class PooledFindBenchmark {
    public static final int IN_FLIGHT = 64;

    /** Operations per benchmark invocation: 64 lanes of 50. */
    public static final int OPERATIONS = 3200;

    @Param({"4", "16"})
    public int associationsPerPeer;

    private LoopbackScp scp;
    private DicomClient client;
    private AssociationPool pool;
    private DicomPeer peer;
    private FindQuery query;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DicomSettings settings = DicomSettings.builder()
                .eventLoopThreads(1)
                .poolMaxAssociationsPerPeer(associationsPerPeer)
                .build();
        scp = new LoopbackScp(settings, 1);
        client = new DicomClient(settings);
        pool = new AssociationPool(client);
        peer = scp.peer();
        query = FindQuery.studyRoot(new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        client.close();
        scp.close();
    }

    @Benchmark
    @OperationsPerInvocation(OPERATIONS)
    public int findsThroughThePool() throws Exception {
        CountDownLatch lanesDone = new CountDownLatch(IN_FLIGHT);
        AtomicInteger matches = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int lane = 0; lane < IN_FLIGHT; lane++) {
            runLane(OPERATIONS / IN_FLIGHT, lanesDone, matches, failure);
        }
        if (!lanesDone.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the lanes did not finish within 120 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a C-FIND failed", failure.get());
        }
        if (matches.get() != OPERATIONS) {
            throw new IllegalStateException("expected " + OPERATIONS + " matches, got " + matches.get());
        }
        return matches.get();
    }

    private void runLane(
            int remaining, CountDownLatch done, AtomicInteger matches, AtomicReference<Throwable> failure) {
        CompletableFuture<FindResult> find = pool.withAssociation(peer, as -> CFindScu.findAll(as, query));
        find.whenComplete((result, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
                done.countDown();
                return;
            }
            matches.addAndGet(result.matches().size());
            if (remaining > 1) {
                runLane(remaining - 1, done, matches, failure);
            } else {
                done.countDown();
            }
        });
    }
}
