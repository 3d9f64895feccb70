package io.dicomspanner.bench;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * C-FIND SCU against our own SCP on loopback, one association: each invocation is one C-FIND answered with {@link
 * #MATCHES} pending responses (the 25-attribute study identifier of {@link IdentifierCodecBenchmark}), so the score
 * is response identifiers received (and decoded) per second. Target: at least 20,000 per second. Client and
 * server run in the same JVM with one event loop thread each.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class FindResponsesBenchmark {
    /** Pending responses per C-FIND. */
    public static final int MATCHES = 1000;

    private LoopbackScp scp;
    private DicomClient client;
    private Association association;
    private FindQuery query;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        DicomSettings settings = DicomSettings.builder().eventLoopThreads(1).build();
        scp = new LoopbackScp(settings, MATCHES);
        client = new DicomClient(settings);
        association = client.connect(scp.peer()).get(30, TimeUnit.SECONDS);
        query = FindQuery.studyRoot(new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.PATIENT_NAME, VR.PN)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        association.release().get(30, TimeUnit.SECONDS);
        client.close();
        scp.close();
    }

    @Benchmark
    @OperationsPerInvocation(MATCHES)
    public int findOnOneAssociation() throws Exception {
        AtomicInteger attributes = new AtomicInteger();
        FindOutcome outcome = CFindScu.find(
                        association, query, (op, identifier) -> attributes.addAndGet(identifier.size()))
                .completion()
                .get(60, TimeUnit.SECONDS);
        if (outcome.matches() != MATCHES || !outcome.isSuccess()) {
            throw new IllegalStateException("expected " + MATCHES + " matches and Success, got " + outcome);
        }
        return attributes.get();
    }
}
