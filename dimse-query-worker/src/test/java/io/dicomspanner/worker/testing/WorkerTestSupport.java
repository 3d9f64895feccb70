package io.dicomspanner.worker.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * One worker against the local RabbitMQ and Redis, serving {@value #SOURCES} source ids unique to this test run (so
 * runs and other modules' tests never share a task queue); each test takes its own source id and reply queue.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spanner.worker.batch-size=2",
            "spanner.worker.retry-backoff=50ms",
            "spanner.worker.retry-backoff-max=50ms",
            "spanner.worker.circuit.failure-threshold=2",
            "spanner.worker.circuit.cool-down=10m",
            "spanner.worker.health.enabled=false",
            // the tests refresh the served sources themselves
            "spanner.worker.source-refresh=1h",
            "spanner.worker.dicom.connect-timeout=2s",
            // above the candidate studies of the verification tests against dcmqrscp, below those of the bound's test
            "spanner.worker.verification-max-subqueries=8",
            "spanner.worker.dicom.response-timeout=20s",
            // the test machine is shared and slow; Redis must not look absent to these tests
            "spring.data.redis.timeout=5s",
            "spring.data.redis.connect-timeout=5s"
        })
@ExtendWith(WorkerTestSupport.RunCleanup.class)
public abstract class WorkerTestSupport {
    public static final int SOURCES = 96;
    /** Source ids of this run: far above any real configuration's, different per run. */
    public static final long FIRST_SOURCE = 7_000_000_000L + (System.currentTimeMillis() % 1_000_000_000L) * SOURCES;

    private static int nextSource;

    @Autowired
    protected RabbitTemplate rabbit;

    @Autowired
    protected MessageConverter converter;

    @Autowired
    protected SealedCodec sealed;

    @Autowired
    protected AmqpAdmin admin;

    @Autowired
    protected StringRedisTemplate redis;

    protected String replyQueue;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", TestDatabase::url);
        registry.add(
                "spanner.worker.sources",
                () -> LongStream.range(FIRST_SOURCE, FIRST_SOURCE + SOURCES)
                        .mapToObj(Long::toString)
                        .collect(Collectors.joining(",")));
    }

    /**
     * Removes this run's task queues and circuit state once every test of the JVM has run, while the shared Spring
     * context is still open: its task listener is stopped first, so nothing redeclares the queues.
     */
    static final class RunCleanup implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            ApplicationContext spring = SpringExtension.getApplicationContext(context);
            context.getRoot()
                    .getStore(ExtensionContext.Namespace.GLOBAL)
                    .computeIfAbsent(RunCleanup.class.getName(), k -> new Removal(spring), Removal.class);
        }
    }

    record Removal(ApplicationContext spring) implements AutoCloseable {
        @Override
        public void close() {
            spring.getBean("taskListenerContainer", AbstractMessageListenerContainer.class)
                    .stop();
            AmqpAdmin admin = spring.getBean(AmqpAdmin.class);
            // Spring pauses a cached test context while another one is in use, which stops its Redis connections.
            LettuceConnectionFactory redisConnections = spring.getBean(LettuceConnectionFactory.class);
            if (!redisConnections.isRunning()) {
                redisConnections.start();
            }
            StringRedisTemplate redis = spring.getBean(StringRedisTemplate.class);
            for (long id = FIRST_SOURCE; id < FIRST_SOURCE + SOURCES; id++) {
                admin.deleteQueue(Topology.taskQueue(id));
                redis.delete(List.of(RedisKeys.sourceCircuit(id), RedisKeys.sourceCircuit(id) + ":trial"));
            }
        }
    }

    /** A source id no other test of this run uses. */
    protected static synchronized long newSourceId() {
        if (nextSource >= SOURCES) {
            throw new IllegalStateException("raise WorkerTestSupport.SOURCES");
        }
        return FIRST_SOURCE + nextSource++;
    }

    @BeforeEach
    void declareReplyQueue() {
        replyQueue = admin.declareQueue(new Queue("worker-test.replies." + UUID.randomUUID(), false, false, false));
    }

    @AfterEach
    void deleteReplyQueue() {
        admin.deleteQueue(replyQueue);
    }

    protected static SourceEndpoint endpoint(
            long sourceId, int port, List<InformationModel> models, boolean relational) {
        return endpoint(sourceId, port, models, relational, 4);
    }

    public static SourceEndpoint endpoint(
            long sourceId, int port, List<InformationModel> models, boolean relational, int maxAssociations) {
        return new SourceEndpoint(
                sourceId,
                "test source",
                "TESTPACS",
                "127.0.0.1",
                port,
                "SPANNER",
                false,
                maxAssociations,
                30,
                models,
                relational);
    }

    /** A source known to ignore the matching keys of these PS3.6 keywords. */
    protected static SourceEndpoint ignoring(SourceEndpoint source, String... keywords) {
        return new SourceEndpoint(
                source.sourceId(),
                source.name(),
                source.aeTitle(),
                source.host(),
                source.port(),
                source.callingAeTitle(),
                source.tls(),
                source.maxAssociations(),
                source.queryTimeoutSeconds(),
                source.informationModels(),
                source.relationalQueries(),
                List.of(keywords));
    }

    /** dcmtk's dcmqrscp as a source: Study Root first, hierarchical (it refuses relational queries). */
    protected static SourceEndpoint dcmqrscpSource(DcmqrscpPeer peer, int maxAssociations) {
        return new SourceEndpoint(
                newSourceId(),
                "dcmqrscp",
                peer.aeTitle(),
                peer.host(),
                peer.port(),
                "SPANNER",
                false,
                maxAssociations,
                30,
                List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                false);
    }

    protected static SourceEndpoint studyRoot(long sourceId, int port) {
        return endpoint(sourceId, port, List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT), true);
    }

    protected SourceTask task(
            SourceEndpoint source, QueryLevel level, Attributes identifier, long deadline, int retries) {
        String queryId = "q-" + UUID.randomUUID();
        return new SourceTask(
                queryId,
                queryId + "-" + source.sourceId(),
                source,
                level,
                new DicomJsonWriter().toJson(identifier),
                deadline,
                replyQueue,
                retries);
    }

    protected static long inSeconds(int seconds) {
        return System.currentTimeMillis() + seconds * 1000L;
    }

    /** Publishes as the coordinator does (tasks exchange, routing key = source id). */
    protected void publish(SourceTask task) {
        rabbit.convertAndSend(
                Topology.TASKS_EXCHANGE, Topology.taskRoutingKey(task.source().sourceId()), task);
    }

    /** Runs a task to its final result, which must be SUCCESS; its results. */
    protected List<SourceResult> successfulRun(SourceEndpoint source, QueryLevel level, Attributes query) {
        publish(task(source, level, query, inSeconds(60), 0));
        List<SourceResult> results = resultsUntilFinal();
        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        return results;
    }

    protected static SourceResult last(List<SourceResult> results) {
        return results.get(results.size() - 1);
    }

    /** The results on the reply queue up to and including the first final one. */
    protected List<SourceResult> resultsUntilFinal() {
        List<SourceResult> results = new ArrayList<>();
        while (results.isEmpty() || !results.get(results.size() - 1).outcome().isFinal()) {
            results.add(nextResult());
        }
        return results;
    }

    protected SourceResult nextResult() {
        Message m = rabbit.receive(replyQueue, 30_000);
        assertThat(m).as("a result within 30 s on " + replyQueue).isNotNull();
        m.getMessageProperties().setInferredArgumentType(SourceResult.class);
        return (SourceResult) converter.fromMessage(m);
    }

    /** The matches of the results, decoded, in order. */
    protected static List<Attributes> matches(List<SourceResult> results) {
        List<Attributes> all = new ArrayList<>();
        for (SourceResult r : results) {
            for (byte[] b : r.matches()) {
                all.add(DicomReader.read(b, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            }
        }
        return all;
    }
}
