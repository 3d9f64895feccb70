package io.dicomspanner.worker.task;

import com.rabbitmq.client.Channel;
import io.dicomspanner.common.messaging.QueueType;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealRejectedException;
import io.dicomspanner.worker.WorkerProperties;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareMessageListener;
import org.springframework.amqp.support.converter.MessageConversionException;
import org.springframework.amqp.support.converter.MessageConverter;
import org.springframework.beans.factory.config.BeanPostProcessor;
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

    /**
     * Classic queues: {@code max-concurrent-tasks} consumer threads, each subscribed to every served source's queue
     * under one channel-wide ("global") prefetch of 1, so a thread holds exactly the task it runs.
     *
     * <p>Quorum queues refuse a global prefetch (NOT_IMPLEMENTED, the connection is closed), and a per-queue prefetch
     * would let each such thread hold one task of every source's queue while it runs one of them: tasks would wait
     * behind other sources' C-FINDs while other threads idle. On quorum queues each source's queue therefore has
     * consumers of its own ({@code consumers-per-source}, each on its own channel with a prefetch of 1, a direct
     * container), so every task a worker holds is one it is running or about to run; at most {@code
     * max-concurrent-tasks} run at once, the rest of the tasks a worker's consumers were given wait for a free slot.
     */
    @Bean
    AbstractMessageListenerContainer taskListenerContainer(
            ConnectionFactory connections,
            MessageConverter converter,
            TaskRunner runner,
            WorkerProperties properties,
            QueueType messagingQueueType) {
        TaskMessageListener listener = new TaskMessageListener(converter, runner);
        if (messagingQueueType == QueueType.QUORUM) {
            DirectMessageListenerContainer direct = new DirectMessageListenerContainer(connections);
            direct.setAutoStartup(false);
            direct.setAcknowledgeMode(AcknowledgeMode.MANUAL);
            direct.setPrefetchCount(1);
            direct.setConsumersPerQueue(properties.consumersPerSource());
            direct.setMessageListener(new RunningAtMost(properties.maxConcurrentTasks(), listener));
            return direct;
        }
        SimpleMessageListenerContainer container = new SimpleMessageListenerContainer(connections);
        // ServedSources names the queues and starts the container once it knows which sources this worker serves
        container.setAutoStartup(false);
        container.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        // one task at a time per consumer: a prefetched task would wait behind a long C-FIND instead of going to an
        // idle worker. Global: each consumer thread subscribes to every source's queue on one channel, and a
        // per-queue prefetch of 1 let one thread take one task from each queue (all 8 tasks of a query) and run them
        // one after the other.
        container.setPrefetchCount(1);
        container.setGlobalQos(true);
        container.setConcurrentConsumers(properties.maxConcurrentTasks());
        container.setMessageListener(listener);
        return container;
    }

    /**
     * On quorum queues the direct container runs its listeners on the RabbitMQ client's delivery threads, and a task
     * holds its thread for its whole C-FIND. The client's own pool has two threads per core, so only that many tasks
     * would run at once: the worker's connections get a pool that grows with the consumers busy at once (at most the
     * served sources times {@code consumers-per-source}), so a long C-FIND never holds up another consumer's delivery
     * (a task, a cancel, a health echo). On classic queues the pool only hands deliveries to the consumer threads.
     * Spring Boot's {@code ConnectionFactoryCustomizer} cannot do this: the caching factory passes its own executor
     * (none unless set) to each new connection.
     */
    @Bean
    static BeanPostProcessor taskDeliveryThreads() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof CachingConnectionFactory connections) {
                    connections.setExecutor(Executors.newCachedThreadPool(r -> {
                        Thread t = new Thread(r, "amqp-delivery");
                        t.setDaemon(true);
                        return t;
                    }));
                }
                return bean;
            }
        };
    }

    /** At most {@code max-concurrent-tasks} tasks run at once; a consumer given one more waits for a free slot. */
    static final class RunningAtMost implements ChannelAwareMessageListener {
        private final Semaphore slots;
        private final TaskMessageListener listener;

        RunningAtMost(int maxConcurrentTasks, TaskMessageListener listener) {
            this.slots = new Semaphore(maxConcurrentTasks, true);
            this.listener = listener;
        }

        @Override
        public void onMessage(Message message, Channel channel) throws IOException {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                channel.basicNack(message.getMessageProperties().getDeliveryTag(), false, true);
                return;
            }
            try {
                listener.onMessage(message, channel);
            } finally {
                slots.release();
            }
        }
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
