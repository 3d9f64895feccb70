package io.dicomspanner.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.Findscu;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.listener.aetitle.ScpConfigs;
import io.dicomspanner.listener.find.SpanningFindHandler;
import io.dicomspanner.listener.server.DimseServer;
import io.dicomspanner.listener.testing.FindscuDebugLog;
import io.dicomspanner.listener.testing.SpanningDatabase;
import io.dicomspanner.schema.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.DirectExchange;
import org.springframework.amqp.core.Queue;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the listener answers when the spanner cannot: no coordinator bound to its routing key (A700), more queries than
 * it may hold (A700), no answer before the deadline (C000). Real RabbitMQ and PostgreSQL, no coordinator: the request
 * queue here is one nobody consumes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class ListenerRefusalsTest {

    static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    static final String REQUESTS = "spanner.requests.listener-refusals-" + RUN;
    static final TestDatabase DB = TestDatabase.create("spanner_listener");
    static final String AE = "SPAN_QUIET";

    @DynamicPropertySource
    static void settings(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", DB::url);
        registry.add("spanner.listener.dicom.bind-address", () -> "127.0.0.1");
        registry.add("spanner.listener.dicom.port", () -> 0);
        registry.add("spanner.listener.span.requests-routing-key", () -> REQUESTS);
        registry.add("spanner.listener.span.deadline-margin", () -> "0s");
        registry.add("spanner.listener.span.max-queries-in-flight", () -> 1);
        registry.add("spanner.listener.config-refresh", () -> "1h");
    }

    @Autowired
    DimseServer server;

    @Autowired
    ScpConfigs configs;

    @Autowired
    SpanningFindHandler handler;

    @Autowired
    AmqpAdmin admin;

    @Autowired
    MeterRegistry meters;

    @BeforeAll
    void config() {
        SpanningDatabase db = new SpanningDatabase(DB);
        long source = db.source("QUIET-" + RUN, "QUIET", 11112, true);
        db.config(AE, true, List.of(), "first_wins", 2, List.of(source));
        configs.refresh();
    }

    @AfterAll
    void dropDatabase() {
        DB.close();
    }

    @Test
    void withNoCoordinatorListeningACFindIsRefusedA700() throws Exception {
        double refusedBefore = answered("A700");

        Findscu.Result result = find("NOBODY");

        assertThat(FindscuDebugLog.finalStatus(result)).as(result.log()).isEqualTo(Status.OUT_OF_RESOURCES);
        assertThat(answered("A700")).isEqualTo(refusedBefore + 1);
        assertThat(result.log()).contains("(0000,0902) LO [no coordinator is listening for span requests");
        assertThat(handler.inFlight()).isZero();
        assertStillAnswers();
    }

    @Test
    void withoutAnAnswerBeforeTheDeadlineACFindFailsC000AndOneMoreThanMaxInFlightA700() throws Exception {
        Queue unconsumed = new Queue(REQUESTS, false, false, true);
        admin.declareQueue(unconsumed);
        Binding binding = BindingBuilder.bind(unconsumed)
                .to(new DirectExchange("spanner.requests"))
                .with(REQUESTS);
        admin.declareBinding(binding);
        try {
            CompletableFuture<Findscu.Result> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return find("WAITER");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (handler.inFlight() == 0 && !waiting.isDone()) {
                Thread.sleep(20);
            }
            Findscu.Result second = find("SECOND");
            Findscu.Result first = waiting.get();

            assertThat(FindscuDebugLog.finalStatus(second)).as(second.log()).isEqualTo(Status.OUT_OF_RESOURCES);
            assertThat(second.log()).contains("(0000,0902) LO [too many queries in progress at this listener");
            assertThat(FindscuDebugLog.finalStatus(first)).as(first.log()).isEqualTo(Status.UNABLE_TO_PROCESS);
            assertThat(first.log()).contains("(0000,0902) LO [no answer from the spanner before the deadline");
            assertThat(handler.inFlight()).isZero();
        } finally {
            admin.deleteQueue(REQUESTS);
        }
        assertStillAnswers();
    }

    // Error Comments below are matched without their closing bracket: an odd-length LO is padded with a space.

    private Findscu.Result find(String callingAe) throws Exception {
        return Findscu.to("127.0.0.1", server.port(), AE)
                .callingAe(callingAe)
                .level("STUDY")
                .key("PatientID", "12345")
                .key("StudyInstanceUID")
                .options("-d")
                .run();
    }

    private double answered(String status) {
        Counter counter =
                meters.find("spanner.listener.finds").tag("status", status).counter();
        return counter == null ? 0 : counter.count();
    }

    private void assertStillAnswers() throws Exception {
        Echoscu.Result echo = Echoscu.to("127.0.0.1", server.port(), AE).run();
        assertThat(echo.succeeded()).as(echo.log()).isTrue();
    }
}
