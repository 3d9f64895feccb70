package io.dicomspanner.coordinator.fanout;

import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.QueueType;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/** Sends tasks to the sources' queues and cancellations to every worker. */
@Component
public class TaskPublisher {

    private final RabbitTemplate rabbit;
    private final AmqpAdmin admin;
    private final QueueType queueType;
    /** Source queues this instance has declared; the coordinator knows the sources, so it declares their queues. */
    private final Set<Long> declaredSources = ConcurrentHashMap.newKeySet();

    public TaskPublisher(RabbitTemplate rabbit, AmqpAdmin admin, QueueType messagingQueueType) {
        this.rabbit = rabbit;
        this.admin = admin;
        this.queueType = messagingQueueType;
    }

    /**
     * Publishes one source's task with the time left until its deadline as message TTL, so a task nobody took in
     * time is dead-lettered instead of reaching a PACS after its query has given up.
     *
     * <p>Tasks are transient (not written to the broker's disk): they wait in the durable queue through a worker's
     * restart, but a broker restart also ends the reply queues their queries are answered on, so a task kept over it
     * would only ask a PACS for an answer nobody waits for.
     *
     * @return false if the deadline has already passed (nothing is sent)
     */
    public boolean publish(SourceTask task, long nowEpochMillis) {
        long ttl = task.deadlineEpochMillis() - nowEpochMillis;
        if (ttl <= 0) {
            return false;
        }
        long sourceId = task.source().sourceId();
        if (!declaredSources.contains(sourceId)) {
            TopologyDeclarations.declareTaskQueue(admin, sourceId, queueType);
            declaredSources.add(sourceId);
        }
        rabbit.convertAndSend(Topology.TASKS_EXCHANGE, Topology.taskRoutingKey(sourceId), task, message -> {
            message.getMessageProperties().setExpiration(Long.toString(ttl));
            message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
            message.getMessageProperties().setHeader(Topology.HEADER_QUERY_ID, task.queryId());
            return message;
        });
        return true;
    }

    /** Tells every worker to stop the tasks of a query that has ended before all its sources answered. */
    public void cancel(String queryId) {
        rabbit.convertAndSend(Topology.CANCEL_EXCHANGE, "", new CancelQuery(queryId), message -> {
            message.getMessageProperties().setHeader(Topology.HEADER_QUERY_ID, queryId);
            message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
            return message;
        });
    }
}
