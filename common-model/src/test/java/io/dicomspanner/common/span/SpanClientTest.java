package io.dicomspanner.common.span;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.MessageCodecTest;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.dicomspanner.common.query.EntryPoint;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.dicomspanner.common.seal.SealerTest;
import io.dicomspanner.common.span.PublishRefusedException.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * The span client on the local RabbitMQ, as the entry points use it: span requests confirmed, refused for each reason
 * an entry point answers differently, and answers routed by query id. Names are unique per test, so runs beside other
 * services on the same broker do not meet.
 */
class SpanClientTest {

    private static CachingConnectionFactory connections;
    private static RabbitAdmin admin;

    private final MessageCodec codec = MessageCodec.instance();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SealedCodec sealed = new SealedCodec(Sealer.withKey(SealerTest.OLD), registry);
    private final String requests = "test.span-client." + UUID.randomUUID();
    private final String instanceId = "test-" + UUID.randomUUID();
    private RabbitTemplate rabbit;
    private SpanClient client;
    private SimpleMessageListenerContainer answers;

    @BeforeAll
    static void broker() {
        connections = confirmingConnections(5672);
        admin = new RabbitAdmin(connections);
    }

    @AfterAll
    static void closeBroker() {
        connections.destroy();
    }

    @BeforeEach
    void requestQueueAndAnswerQueue() {
        admin.declareExchange(TopologyDeclarations.requestsExchange(requests));
        listen(10);
        Queue answersQueue = TopologyDeclarations.answersQueue(instanceId);
        admin.declareQueue(answersQueue);
        rabbit = new RabbitTemplate(connections);
        client = new SpanClient(
                new BrokerPublisher(rabbit, sealed, Duration.ofSeconds(5), Runnable::run), sealed, settings());
        answers = new SimpleMessageListenerContainer(connections);
        answers.setQueues(answersQueue);
        answers.setMessageListener(client);
        answers.setAcknowledgeMode(AcknowledgeMode.NONE);
        answers.start();
    }

    @AfterEach
    void removeQueues() {
        answers.stop();
        admin.deleteQueue(requests);
        admin.deleteQueue(client.answersQueue());
        admin.deleteExchange(requests);
    }

    @Test
    void aConfirmedSpanRequestWaitsOnTheRequestQueueAsTheCoordinatorsReadIt() throws Exception {
        SpanRequest request = request("q-confirmed");

        assertThat(client.publish(request, Duration.ofSeconds(30)).get(10, TimeUnit.SECONDS))
                .isNull();

        Message message = rabbit.receive(requests, 5000);
        assertThat(message).isNotNull();
        assertThat(new String(sealed.openMessage(message.getBody()), StandardCharsets.UTF_8))
                .isEqualTo(codec.writeString(request));
        assertThat(new String(message.getBody(), StandardCharsets.ISO_8859_1))
                .doesNotContain("00100020", "12345", "ae:SCU");
        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/vnd.dicomspanner.sealed");
        assertThat(message.getMessageProperties().getContentEncoding()).isNull();
        assertThat(message.getMessageProperties().getMessageId()).isEqualTo("q-confirmed");
        assertThat(message.getMessageProperties().<String>getHeader(Topology.HEADER_QUERY_ID))
                .isEqualTo("q-confirmed");
        assertThat(message.getMessageProperties().getReceivedDeliveryMode())
                .isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
        assertThat(message.getMessageProperties().getExpiration()).isEqualTo("30000");
    }

    @Test
    void aMessageWithoutTimeToLiveNeverExpires() throws Exception {
        BrokerPublisher publisher = new BrokerPublisher(rabbit, sealed, Duration.ofSeconds(5), Runnable::run);

        BrokerPublisher.awaitConfirm(publisher.publish(requests, requests, Map.of("requestId", "e1"), "e1", null));

        Message message = rabbit.receive(requests, 5000);
        assertThat(message).isNotNull();
        assertThat(new String(sealed.openMessage(message.getBody()), StandardCharsets.UTF_8))
                .isEqualTo("{\"requestId\":\"e1\"}");
        assertThat(message.getMessageProperties().getExpiration()).isNull();
        assertThat(message.getMessageProperties().<String>getHeader(Topology.HEADER_QUERY_ID))
                .isEqualTo("e1");
    }

    @Test
    void withNoQueueBoundForItsRoutingKeyARequestIsRefusedAsUnroutable() {
        admin.deleteQueue(requests);

        assertThat(refusal(client.publish(request("q-nobody"), Duration.ofSeconds(30))))
                .isEqualTo(Reason.UNROUTABLE);
    }

    @Test
    void aFullRequestQueueRefusesTheRequest() {
        listen(0);

        assertThat(refusal(client.publish(request("q-full"), Duration.ofSeconds(30))))
                .isEqualTo(Reason.QUEUE_FULL);
    }

    @Test
    void aRequestTheBrokerDoesNotConfirmInTimeIsRefused() {
        CachingConnectionFactory withoutConfirms = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            SpanClient unconfirmed = new SpanClient(
                    new BrokerPublisher(
                            new RabbitTemplate(withoutConfirms), sealed, Duration.ofMillis(200), Runnable::run),
                    sealed,
                    settings());

            assertThat(refusal(unconfirmed.publish(request("q-unconfirmed"), Duration.ofSeconds(30))))
                    .isEqualTo(Reason.NOT_CONFIRMED_IN_TIME);
        } finally {
            withoutConfirms.destroy();
        }
    }

    @Test
    void anUnreachableBrokerRefusesTheRequest() {
        CachingConnectionFactory nowhere = confirmingConnections(1);
        try {
            SpanClient cut = new SpanClient(
                    new BrokerPublisher(new RabbitTemplate(nowhere), sealed, Duration.ofSeconds(5), Runnable::run),
                    sealed,
                    settings());

            assertThatThrownBy(
                            () -> BrokerPublisher.awaitConfirm(cut.publish(request("q-cut"), Duration.ofSeconds(30))))
                    .isInstanceOfSatisfying(
                            PublishRefusedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.BROKER_UNREACHABLE));
        } finally {
            nowhere.destroy();
        }
    }

    @Test
    void eachAnswerReachesTheQueryWaitingForItInTheOrderSent() throws Exception {
        List<SpanAnswer> received = new CopyOnWriteArrayList<>();
        client.await("q-streamed", received::add);

        sendAnswer(answer("q-someone-else", List.of(new byte[] {9}), true));
        sendRaw("not json".getBytes(StandardCharsets.UTF_8));
        sendRaw(sealed.sealer().seal("not json".getBytes(StandardCharsets.UTF_8)));
        sendRaw(Sealer.withKey(SealerTest.NEW).seal(codec.write(answer("q-streamed", List.of(new byte[] {7}), true))));
        sendAnswer(answer("q-streamed", List.of(new byte[] {1}), false));
        sendAnswer(answer("q-streamed", List.of(new byte[] {2}, new byte[] {3}), true)
                .afterStreamed(1));

        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < 2 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(received).extracting(SpanAnswer::last).containsExactly(false, true);
        assertThat(received.get(0).matches()).containsExactly(new byte[] {1});
        assertThat(received.get(1).matches()).containsExactly(new byte[] {2}, new byte[] {3});
        assertThat(client.waiting()).isEqualTo(1);

        client.forget("q-streamed");
        assertThat(client.waiting()).isZero();
        assertThat(registry.get("spanner.sealed.value.rejected")
                        .tag("store", "amqp")
                        .tag("reason", "unknown_key")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("spanner.sealed.value.rejected")
                        .tag("store", "amqp")
                        .tag("reason", "malformed")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void aLastAnswerThatOvertookTheStreamedAnswersSentBeforeItIsHeldUntilTheyArrive() throws Exception {
        List<SpanAnswer> received = new CopyOnWriteArrayList<>();
        client.await("q-overtaken", received::add);

        // one channel, so that the broker keeps this order: the last answer first, as another channel may deliver it
        rabbit.invoke(ops -> {
            sendAnswer(answer("q-overtaken", List.of(new byte[] {3}), true).afterStreamed(2));
            sendAnswer(answer("q-overtaken", List.of(new byte[] {1}), false));
            return null;
        });
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.isEmpty() && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(received).extracting(SpanAnswer::last).containsExactly(false);

        sendAnswer(answer("q-overtaken", List.of(new byte[] {2}), false));
        giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < 3 && System.nanoTime() < giveUp) {
            Thread.sleep(10);
        }
        assertThat(received).extracting(SpanAnswer::last).containsExactly(false, false, true);
        assertThat(received).extracting(a -> a.matches().get(0)[0]).containsExactly((byte) 1, (byte) 2, (byte) 3);
        assertThat(received.get(2).streamedBefore()).isEqualTo(2);
    }

    @Test
    void collectJoinsTheMatchesOfEveryAnswerOfAQueryIntoTheFinalAnswer() throws Exception {
        CompletableFuture<SpanAnswer> collected = client.collect("q-collected");

        sendAnswer(answer("q-collected", List.of(new byte[] {1}), false));
        SpanAnswer.SourceFailure failure =
                new SpanAnswer.SourceFailure(2, "PACS-B", "PACSB", SourceOutcome.TIMEOUT, "no answer");
        SpanAnswer.SourceNote note = new SpanAnswer.SourceNote(3, "PACS-C", "PACSC", List.of("ModalitiesInStudy"));
        sendAnswer(new SpanAnswer(
                        "q-collected",
                        List.of(new byte[] {2}),
                        true,
                        QueryState.PARTIAL,
                        List.of(failure),
                        2,
                        5,
                        false,
                        List.of(note))
                .afterStreamed(1));

        SpanAnswer answer = collected.get(10, TimeUnit.SECONDS);
        assertThat(answer.queryId()).isEqualTo("q-collected");
        assertThat(answer.matches()).containsExactly(new byte[] {1}, new byte[] {2});
        assertThat(answer.last()).isTrue();
        assertThat(answer.state()).isEqualTo(QueryState.PARTIAL);
        assertThat(answer.failures()).containsExactly(failure);
        assertThat(answer.totalMatches()).isEqualTo(2);
        assertThat(answer.remaining()).isEqualTo(5);
        assertThat(answer.fromCache()).isFalse();
        assertThat(answer.notes()).containsExactly(note);
        assertNoQueryWaits();
    }

    @Test
    void aFinalAnswerWithoutFailuresHasAnEmptyListOfThem() throws Exception {
        CompletableFuture<SpanAnswer> collected = client.collect("q-no-failures");

        sendAnswer(new SpanAnswer("q-no-failures", null, true, QueryState.COMPLETE, null, 0, 0, true));

        SpanAnswer answer = collected.get(10, TimeUnit.SECONDS);
        assertThat(answer.matches()).isEmpty();
        assertThat(answer.failures()).isEmpty();
        assertThat(answer.fromCache()).isTrue();
    }

    @Test
    void aQueryGivenUpAtItsDeadlineIsForgotten() throws Exception {
        CompletableFuture<SpanAnswer> collected = client.collect("q-late").orTimeout(100, TimeUnit.MILLISECONDS);

        assertThatThrownBy(() -> collected.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        assertNoQueryWaits();
    }

    @Test
    void aCancellationGoesToEveryWorkerOnTheCancelExchange() throws Exception {
        admin.declareExchange(TopologyDeclarations.cancelExchange());
        Queue worker = TopologyDeclarations.cancelQueue("test-" + UUID.randomUUID());
        admin.declareQueue(worker);
        admin.declareBinding(TopologyDeclarations.cancelBinding(worker.getName()));
        String queryId = "q-cancelled-" + UUID.randomUUID();
        try {
            client.cancel(queryId);

            Message cancel = null;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < giveUp) {
                Message message = rabbit.receive(worker.getName(), 500);
                // Other services on this broker cancel their own queries on the same exchange.
                if (message != null
                        && queryId.equals(message.getMessageProperties().getHeader(Topology.HEADER_QUERY_ID))) {
                    cancel = message;
                    break;
                }
            }
            assertThat(cancel).isNotNull();
            assertThat(new String(sealed.openMessage(cancel.getBody()), StandardCharsets.UTF_8))
                    .isEqualTo("{\"queryId\":\"" + queryId + "\"}");
            assertThat(cancel.getMessageProperties().getContentType()).isEqualTo("application/vnd.dicomspanner.sealed");
            assertThat(cancel.getMessageProperties().getReceivedDeliveryMode())
                    .isEqualTo(MessageDeliveryMode.NON_PERSISTENT);
            assertThat(cancel.getMessageProperties().getMessageId()).isNull();
        } finally {
            admin.deleteQueue(worker.getName());
        }
    }

    @Test
    void waitIsTheConfigTimeoutPlusTheMarginAtMostMaxWait() {
        assertThat(client.waitFor(20)).isEqualTo(Duration.ofSeconds(22));
        assertThat(client.waitFor(3600)).isEqualTo(Duration.ofSeconds(300));
        assertThat(client.answersQueue()).isEqualTo("spanner.answers." + instanceId);
    }

    /** A query is forgotten right after its future completes (the waiting caller may see the future first). */
    private void assertNoQueryWaits() throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (client.waiting() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
        assertThat(client.waiting()).isZero();
    }

    private static CachingConnectionFactory confirmingConnections(int port) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", port);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    private SpanClient.Settings settings() {
        return new SpanClient.Settings(requests, requests, instanceId, Duration.ofSeconds(2), Duration.ofSeconds(300));
    }

    /** The request queue as a coordinator declares it, {@code maxLength} long with reject-publish overflow. */
    private void listen(int maxLength) {
        admin.deleteQueue(requests);
        admin.declareQueue(TopologyDeclarations.requestsQueue(requests, maxLength));
        admin.declareBinding(TopologyDeclarations.requestsBinding(requests, requests));
    }

    /** The codec's specimen request, as this instance's entry would send it. */
    private SpanRequest request(String queryId) {
        SpanRequest specimen = MessageCodecTest.spanRequest();
        return new SpanRequest(
                queryId, specimen.query(), EntryPoint.DIMSE, "ae:SCU@127.0.0.1", client.answersQueue(), true, 1L, null);
    }

    private static SpanAnswer answer(String queryId, List<byte[]> matches, boolean last) {
        return new SpanAnswer(
                queryId, matches, last, last ? QueryState.COMPLETE : QueryState.RUNNING, List.of(), 3, 0, false);
    }

    private void sendAnswer(SpanAnswer answer) {
        sendRaw(sealed.sealMessage(answer));
    }

    /** As a coordinator answers: to the entry's answer queue through the default exchange. */
    private void sendRaw(byte[] body) {
        rabbit.send(
                "",
                client.answersQueue(),
                MessageBuilder.withBody(body)
                        .setContentType(SealedCodec.CONTENT_TYPE)
                        .build());
    }

    private static Reason refusal(CompletableFuture<Void> published) {
        try {
            published.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(PublishRefusedException.class);
            return ((PublishRefusedException) e.getCause()).reason();
        } catch (Exception e) {
            throw new AssertionError("no verdict from the broker", e);
        }
        throw new AssertionError("the broker took the message");
    }
}
