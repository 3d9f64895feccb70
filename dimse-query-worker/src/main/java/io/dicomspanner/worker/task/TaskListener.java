package io.dicomspanner.worker.task;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealRejectedException;
import io.dicomspanner.worker.WorkerProperties;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
     * One consumer of each served source's task queue, on a channel of its own with a prefetch of {@code
     * tasks-per-source}: the worker holds at most that many tasks of a source, and runs every task it holds at once
     * (they wait for one of the source's associations, not for a thread). The listener starts a task and returns; the
     * task is acked (or requeued) from the thread that ends it. At most {@code max-concurrent-tasks} run at once, all
     * sources together: a consumer given one more waits for a free slot. The same for classic and quorum queues
     * (quorum queues refuse a channel-wide prefetch, which this does not need).
     */
    @Bean
    AbstractMessageListenerContainer taskListenerContainer(
            ConnectionFactory connections, MessageConverter converter, TaskRunner runner, WorkerProperties properties) {
        DirectMessageListenerContainer direct = new DirectMessageListenerContainer(connections);
        // ServedSources names the queues and starts the container once it knows which sources this worker serves
        direct.setAutoStartup(false);
        direct.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        direct.setPrefetchCount(properties.tasksPerSource());
        direct.setConsumersPerQueue(1);
        direct.setMessageListener(new TaskMessageListener(converter, runner, properties.maxConcurrentTasks()));
        return direct;
    }

    /**
     * The direct container runs its listeners on the RabbitMQ client's delivery threads, one channel at a time each. A
     * task listener waits there while {@code max-concurrent-tasks} tasks run, and the client's own pool has two threads
     * per core: the worker's connections get a pool that grows with the deliveries waiting at once (at most one per
     * served source), so a source's waiting consumer never holds up another's delivery (a task, a cancel, a health
     * echo).
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

    /**
     * Starts one task per message, at most {@code max-concurrent-tasks} at once, and acks it once its results are
     * published; requeues it when they could not be.
     */
    static final class TaskMessageListener implements ChannelAwareMessageListener {
        private final MessageConverter converter;
        private final TaskRunner runner;
        private final Semaphore slots;

        TaskMessageListener(MessageConverter converter, TaskRunner runner, int maxConcurrentTasks) {
            this.converter = converter;
            this.runner = runner;
            this.slots = new Semaphore(maxConcurrentTasks, true);
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
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.info("task {}: worker stopping before it started; requeued", task.taskId());
                channel.basicNack(tag, false, true);
                return;
            }
            CompletableFuture<Void> ended;
            try {
                ended = runner.start(task);
            } catch (RuntimeException e) {
                slots.release();
                throw e;
            }
            ended.whenComplete((v, failure) -> {
                slots.release();
                settle(channel, tag, task, failure);
            });
        }

        /** Acks the task, or requeues it when its results could not all be published. */
        private static void settle(Channel channel, long tag, SourceTask task, Throwable failure) {
            Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
            try {
                if (cause == null) {
                    channel.basicAck(tag, false);
                } else if (cause instanceof AmqpException) {
                    LOG.warn(
                            "task {}: results not confirmed by the broker ({}); requeued",
                            task.taskId(),
                            cause.getMessage());
                    channel.basicNack(tag, false, true);
                } else {
                    LOG.error("task {}: failed unexpectedly; requeued", task.taskId(), cause);
                    channel.basicNack(tag, false, true);
                }
            } catch (IOException | ShutdownSignalException e) {
                // the consumer's channel closed meanwhile: RabbitMQ gives the unacked task to a consumer again
                LOG.info(
                        "task {}: its channel closed before it was {}; RabbitMQ delivers it again",
                        task.taskId(),
                        cause == null ? "acked" : "requeued");
            }
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
