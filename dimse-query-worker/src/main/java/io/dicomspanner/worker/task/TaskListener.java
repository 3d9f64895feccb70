package io.dicomspanner.worker.task;

import com.rabbitmq.client.Channel;
import io.dicomspanner.common.messaging.QueueType;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealRejectedException;
import io.dicomspanner.worker.WorkerProperties;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Consumes the task queues of the served sources ({@link io.dicomspanner.worker.sources.ServedSources}) with manual acks: a task is
 * acked only after every result batch of it has been confirmed by the broker, so a worker that dies mid-task leaves
 * the task unacked and RabbitMQ gives it to another worker (flag {@code redelivered}), which runs it again from the
 * start. A task whose results could not be published is requeued; one that cannot be read is dead-lettered.
 */
@Configuration(proxyBeanMethods = false)
public class TaskListener {
    private static final Logger LOG = LoggerFactory.getLogger(TaskListener.class);

    @Bean
    SimpleMessageListenerContainer taskListenerContainer(
            ConnectionFactory connections,
            MessageConverter converter,
            TaskRunner runner,
            WorkerProperties properties,
            QueueType messagingQueueType) {
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        // ServedSources names the queues and starts the container once it knows which sources this worker serves
        container.setAutoStartup(false);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        // one task at a time per consumer: a prefetched task would wait behind a long C-FIND instead of going to an
        // idle worker. Global: each consumer thread subscribes to every source's queue on one channel, and a
        // per-queue prefetch of 1 let one thread take one task from each queue (all 8 tasks of a query) and run them
        // one after the other. Quorum queues refuse a global prefetch (NOT_IMPLEMENTED, the connection is closed):
        // on them the prefetch is per queue, so a consumer thread may hold one task of each source's queue while it
        // runs one of them.
        container.setPrefetchCount(1);
        container.setGlobalQos(messagingQueueType == QueueType.CLASSIC);
        container.setConcurrentConsumers(properties.maxConcurrentTasks());
        container.setMessageListener(new TaskMessageListener(converter, runner));
        return container;
    }

    /** Runs one task per message and acks it after its results are published. */
    static final class TaskMessageListener implements ChannelAwareMessageListener {
        private final MessageConverter converter;
        private final TaskRunner runner;

        TaskMessageListener(MessageConverter converter, TaskRunner runner) {
            this.converter = converter;
            this.runner = runner;
        }

        @Override
        public void onMessage(Message message, Channel channel) throws IOException {
            long tag = message.getMessageProperties().getDeliveryTag();
            SourceTask task;
            try {
                message.getMessageProperties().setInferredArgumentType(SourceTask.class);
                task = (SourceTask) converter.fromMessage(message);
            } catch (MessageConversionException | ClassCastException e) {
                LOG.error(
                        "unreadable task message of query {} on {} dead-lettered: {}",
                        message.getMessageProperties().getHeader(Topology.HEADER_QUERY_ID),
                        message.getMessageProperties().getConsumerQueue(),
                        whyUnreadable(e));
                channel.basicReject(tag, false);
                return;
            }
            if (Boolean.TRUE.equals(message.getMessageProperties().getRedelivered())) {
                LOG.info("task {} of query {} redelivered; running it again", task.taskId(), task.queryId());
            }
            try {
                runner.run(task);
            } catch (AmqpException e) {
                LOG.warn("task {}: results not confirmed by the broker ({}); requeued", task.taskId(), e.getMessage());
                channel.basicNack(tag, false, true);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.info("task {}: interrupted (worker stopping); requeued", task.taskId());
                channel.basicNack(tag, false, true);
                return;
            }
            channel.basicAck(tag, false);
        }

        /**
         * What could not be read, without the values: the body holds the identifier, which holds PHI. An unknown enum
         * constant (a level no worker knows) is named with the constants that would do.
         */
        static String whyUnreadable(Exception e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof SealRejectedException rejected) {
                    return "sealed body does not open (" + rejected.reason().tag() + ")";
                }
                if (c instanceof InvalidFormatException f
                        && f.getTargetType() != null
                        && f.getTargetType().isEnum()) {
                    return "'" + path(f) + "' is none of "
                            + Arrays.toString(f.getTargetType().getEnumConstants());
                }
                if (c instanceof JacksonException j) {
                    return "'" + path(j) + "' unreadable (" + j.getClass().getSimpleName() + ")";
                }
            }
            return e.getClass().getSimpleName();
        }

        private static String path(JacksonException e) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference r : e.getPath()) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(r.getPropertyName() != null ? r.getPropertyName() : "[" + r.getIndex() + "]");
            }
            return path.toString();
        }
    }
}
