package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SpanRequest;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/** The coordinator's two inputs: span requests (shared by every instance) and this instance's source results. */
@Component
class QueryListeners {

    private final QueryCoordinator coordinator;

    QueryListeners(QueryCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @RabbitListener(
            queues = "${spanner.coordinator.requests-queue}",
            concurrency = "${spanner.coordinator.request-concurrency}")
    void onSpanRequest(SpanRequest request) {
        coordinator.handle(request);
    }

    /** One consumer: batches of a query are merged in the order their worker published them. */
    @RabbitListener(queues = "#{resultsQueue.name}")
    void onSourceResult(SourceResult result) {
        coordinator.accept(result);
    }
}
