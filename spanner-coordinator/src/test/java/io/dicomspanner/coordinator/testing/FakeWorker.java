package io.dicomspanner.coordinator.testing;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.TransferSyntax;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitOperations;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.support.converter.MessageConverter;

/**
 * Stands in for the dimse-query-worker in tests: consumes the task queues of the given sources and answers each task
 * from a canned data set per source, the way a PACS that ignores every filter would (so the coordinator's re-check is
 * what filters). Records every task it receives.
 */
public final class FakeWorker implements AutoCloseable {

    /**
     * How one source answers.
     *
     * @param records the whole data set, returned for every query
     * @param outcome the final batch's outcome
     * @param batchSize records per batch
     * @param sendFirstBatchTwice as a worker does that is killed after publishing and whose task is redelivered
     * @param gate if non-null, nothing is sent before it opens
     * @param silent consume the task and never answer (a hanging PACS)
     * @param unverifiedKeys the keywords the last batch reports as not verified
     */
    public record Behaviour(
            List<Attributes> records,
            SourceOutcome outcome,
            int batchSize,
            boolean sendFirstBatchTwice,
            CountDownLatch gate,
            long delayMillis,
            boolean silent,
            List<String> unverifiedKeys) {

        public static Behaviour answering(List<Attributes> records) {
            return new Behaviour(records, SourceOutcome.SUCCESS, 100, false, null, 0, false, List.of());
        }

        public static Behaviour failing(SourceOutcome outcome) {
            return new Behaviour(List.of(), outcome, 100, false, null, 0, false, List.of());
        }

        public static Behaviour hanging() {
            return new Behaviour(List.of(), SourceOutcome.SUCCESS, 100, false, null, 0, true, List.of());
        }

        public Behaviour inBatchesOf(int size) {
            return new Behaviour(
                    records, outcome, size, sendFirstBatchTwice, gate, delayMillis, silent, unverifiedKeys);
        }

        public Behaviour sendingFirstBatchTwice() {
            return new Behaviour(records, outcome, batchSize, true, gate, delayMillis, silent, unverifiedKeys);
        }

        public Behaviour after(CountDownLatch openedBy) {
            return new Behaviour(
                    records, outcome, batchSize, sendFirstBatchTwice, openedBy, delayMillis, silent, unverifiedKeys);
        }

        public Behaviour delayedBy(long millis) {
            return new Behaviour(
                    records, outcome, batchSize, sendFirstBatchTwice, gate, millis, silent, unverifiedKeys);
        }

        /** As a worker does for a PACS that ignores these keys and whose records it cannot check against them. */
        public Behaviour notVerifying(String... keywords) {
            return new Behaviour(
                    records, outcome, batchSize, sendFirstBatchTwice, gate, delayMillis, silent, List.of(keywords));
        }
    }

    private final RabbitTemplate rabbit;
    private final MessageConverter converter;
    private final SimpleMessageListenerContainer container;
    private final Map<Long, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<Long, Behaviour> firstTasks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<SourceTask> tasks = new ConcurrentLinkedQueue<>();
    private final Map<String, ConcurrentLinkedQueue<byte[]>> bodies = new ConcurrentHashMap<>();

    public FakeWorker(
            ConnectionFactory connections,
            AmqpAdmin admin,
            RabbitTemplate rabbit,
            MessageConverter converter,
            long... sourceIds) {
        this.rabbit = rabbit;
        this.converter = converter;
        List<String> queues = new ArrayList<>();
        for (long sourceId : sourceIds) {
            TopologyDeclarations.declareTaskQueue(admin, sourceId);
            queues.add(Topology.taskQueue(sourceId));
        }
        container = new SimpleMessageListenerContainer(connections);
        container.setQueueNames(queues.toArray(String[]::new));
        container.setConcurrentConsumers(8);
        container.setPrefetchCount(1);
        // Channel-wide, as the real worker's: a consumer held by a gated task must not also hold a task of another
        // source's queue (per-consumer prefetch let it keep one per queue, unseen until the gate opened).
        container.setGlobalQos(true);
        container.setMessageListener(message -> {
            byte[] body = message.getBody().clone();
            message.getMessageProperties().setInferredArgumentType(SourceTask.class);
            SourceTask task = (SourceTask) converter.fromMessage(message);
            bodiesOf(task.queryId()).add(body);
            answer(task);
        });
        container.start();
    }

    public void behave(long sourceId, Behaviour behaviour) {
        behaviours.put(sourceId, behaviour);
    }

    /** The first task of the source is answered as {@code first}, every later one as {@code then}. */
    public void behave(long sourceId, Behaviour first, Behaviour then) {
        firstTasks.put(sourceId, first);
        behaviours.put(sourceId, then);
    }

    /** The tasks received for one query. */
    public List<SourceTask> tasksOf(String queryId) {
        return tasks.stream().filter(t -> t.queryId().equals(queryId)).toList();
    }

    /** The bodies of the query's messages as they travelled: the tasks received and the results sent. */
    public List<byte[]> messageBodiesOf(String queryId) {
        return List.copyOf(bodiesOf(queryId));
    }

    private ConcurrentLinkedQueue<byte[]> bodiesOf(String queryId) {
        return bodies.computeIfAbsent(queryId, id -> new ConcurrentLinkedQueue<>());
    }

    private void answer(SourceTask task) {
        tasks.add(task);
        Behaviour first = firstTasks.remove(task.source().sourceId());
        Behaviour b = first != null ? first : behaviours.get(task.source().sourceId());
        if (b == null || b.silent()) {
            return;
        }
        try {
            if (b.gate() != null && !b.gate().await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(
                        "gate of source " + task.source().sourceId() + " never opened");
            }
            if (b.delayMillis() > 0) {
                Thread.sleep(b.delayMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        List<List<byte[]>> batches = new ArrayList<>();
        List<byte[]> current = new ArrayList<>();
        for (Attributes record : b.records()) {
            current.add(DicomWriter.encode(record, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            if (current.size() == b.batchSize()) {
                batches.add(current);
                current = new ArrayList<>();
            }
        }
        if (!current.isEmpty() || batches.isEmpty()) {
            batches.add(current);
        }
        // On one channel, as the real worker's confirmed publishes are in order: batches sent through whichever
        // cached channel comes free could overtake each other, and a batch after the final one is ignored.
        rabbit.invoke(channel -> {
            send(channel, task, b, batches);
            return null;
        });
    }

    private void send(RabbitOperations channel, SourceTask task, Behaviour b, List<List<byte[]>> batches) {
        for (int i = 0; i < batches.size(); i++) {
            boolean last = i == batches.size() - 1;
            SourceOutcome outcome = last ? b.outcome() : SourceOutcome.RUNNING;
            SourceResult result = new SourceResult(
                    task.queryId(),
                    task.taskId(),
                    task.source().sourceId(),
                    i,
                    batches.get(i),
                    outcome,
                    outcome == SourceOutcome.FAILED_STATUS ? 0xA700 : (last ? 0 : 0xFF00),
                    outcome.isFinal() && !outcome.isSuccess() ? "canned " + outcome : null,
                    5,
                    last ? b.unverifiedKeys() : List.of());
            int copies = i == 0 && b.sendFirstBatchTwice() ? 2 : 1;
            for (int c = 0; c < copies; c++) {
                org.springframework.amqp.core.Message message =
                        converter.toMessage(result, new org.springframework.amqp.core.MessageProperties());
                bodiesOf(task.queryId()).add(message.getBody());
                channel.send("", task.replyTo(), message);
            }
        }
    }

    @Override
    public void close() {
        container.stop();
    }
}
