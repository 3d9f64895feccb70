package io.dicomspanner.bench;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What sealing adds to a query (AES-256-GCM of the values that hold PHI, {@link SealedCodec}): the JSON is made
 * beforehand, as the services make it anyway, so only the sealing and opening are measured.
 *
 * <ul>
 *   <li>{@code cachedHit}: a gateway answering from the result cache opens one entry, the answer of 50 study rows
 *       (base64 text in Redis); {@code cachedAnswerSealAndOpen} adds the coordinator's sealing of it.
 *   <li>{@code fannedOutQuery}: the messages of one query to 8 sources, each sealed by its sender and opened by its
 *       receiver: the span request, 8 source tasks, 8 source results (7 study rows each), the span answer (50 rows),
 *       and the cache entry the coordinator seals once for Redis and the coalescing announcement.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealingBenchmark {

    static final int SOURCES = 8;
    static final int ANSWER_ROWS = 50;
    static final int ROWS_PER_SOURCE = 7;

    private SealedCodec codec;
    private Sealer sealer;
    private String cacheEntryJson;
    private String sealedCacheEntry;
    private List<byte[]> messages;

    @Setup
    public void setUp() {
        byte[] key = new byte[DataKey.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        sealer = Sealer.withKey(DataKey.of(key));
        codec = new SealedCodec(sealer, new SimpleMeterRegistry());
        MessageCodec json = MessageCodec.instance();

        List<byte[]> answerRows = rows(ANSWER_ROWS);
        List<QueryStatus.SourceStatus> statuses = new ArrayList<>();
        for (int s = 1; s <= SOURCES; s++) {
            statuses.add(new QueryStatus.SourceStatus(
                    s, "PACS " + s, "PACS_" + s, SourceOutcome.SUCCESS, ROWS_PER_SOURCE, 0, 120L, null));
        }
        SharedAnswer shared = new SharedAnswer(
                QueryState.COMPLETE,
                answerRows,
                List.of(),
                SOURCES * ROWS_PER_SOURCE,
                ANSWER_ROWS,
                0,
                statuses,
                10_000);
        cacheEntryJson = json.writeString(shared);
        sealedCacheEntry = codec.sealEntryText(cacheEntryJson);

        SpanQuery query = new SpanQuery(
                1,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "4512129"), new QueryKey("00100010", "DOE^JOHN")),
                List.of("00081030"),
                false,
                false,
                null,
                0);
        messages = new ArrayList<>();
        messages.add(json.write(new SpanRequest(
                "q-1", query, EntryPoint.QIDO, "api-key:7", "spanner.answers.g1", false, 1_800_000_000_000L, null)));
        List<byte[]> sourceRows = rows(ROWS_PER_SOURCE);
        for (int s = 1; s <= SOURCES; s++) {
            SourceEndpoint source = new SourceEndpoint(
                    s,
                    "PACS " + s,
                    "PACS_" + s,
                    "pacs-" + s + ".example",
                    11112,
                    "SPANNER",
                    false,
                    4,
                    30,
                    List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                    true);
            messages.add(json.write(new SourceTask(
                    "q-1",
                    "q-1:" + s,
                    source,
                    QueryLevel.STUDY,
                    "{\"00100020\":\"4512129\",\"00100010\":\"DOE^JOHN\"}",
                    1_800_000_000_000L,
                    "spanner.results.c1",
                    0)));
            messages.add(json.write(new SourceResult(
                    "q-1", "q-1:" + s, s, 0, sourceRows, SourceOutcome.SUCCESS, 0, null, 95, List.of())));
        }
        messages.add(json.write(
                new SpanAnswer("q-1", answerRows, true, QueryState.COMPLETE, List.of(), ANSWER_ROWS, 0, false)));
    }

    /** The typical study row of an answer: a 25-attribute study identifier as the coordinator relays it. */
    static List<byte[]> rows(int count) {
        List<byte[]> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Attributes study = IdentifierCodecBenchmark.studyIdentifier();
            study.setString(Tag.STUDY_INSTANCE_UID, VR.UI, "2.25.1634029352346120492302948572840" + (92832034 + i));
            rows.add(DicomWriter.encode(study, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        return rows;
    }

    @Benchmark
    public String cachedHit() {
        return codec.openEntryText(sealedCacheEntry).orElseThrow();
    }

    @Benchmark
    public String cachedAnswerSealAndOpen() {
        return codec.openEntryText(codec.sealEntryText(cacheEntryJson)).orElseThrow();
    }

    @Benchmark
    public void fannedOutQuery(Blackhole sink) {
        for (byte[] message : messages) {
            sink.consume(sealer.open(sealer.seal(message)));
        }
        sink.consume(codec.sealEntryText(cacheEntryJson));
    }

    /** Sizes of what is sealed, for the record beside the figures. */
    public static void main(String[] args) {
        SealingBenchmark b = new SealingBenchmark();
        b.setUp();
        int total = b.messages.stream().mapToInt(m -> m.length).sum();
        System.out.println("cache entry JSON " + b.cacheEntryJson.length() + " chars, sealed base64 "
                + b.sealedCacheEntry.length() + "; " + b.messages.size() + " messages, " + total + " bytes of JSON");
    }
}
