package io.dicomspanner.coordinator.cache;

import io.dicomspanner.coordinator.CoordinatorProperties;
import io.dicomspanner.coordinator.metrics.CoordinatorMetrics;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class RedisListening {

    /** Pub/sub for coalescing. Not started with the context: a Redis that is down at start must not stop it. */
    @Bean
    RedisMessageListenerContainer redisListeners(RedisConnectionFactory connections) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        container.setAutoStartup(false);
        return container;
    }

    @Bean
    Subscriber redisSubscriber(
            RedisMessageListenerContainer redisListeners,
            ScheduledExecutorService queryTimers,
            CoordinatorProperties properties,
            CoordinatorMetrics metrics) {
        return new Subscriber(redisListeners, queryTimers, properties, metrics);
    }

    /**
     * Starts the pub/sub container, and if Redis is unreachable tries again every {@code redis-subscribe-retry};
     * once started, the container recovers from Redis restarts by itself.
     */
    static final class Subscriber implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

        private final RedisMessageListenerContainer container;
        private final ScheduledExecutorService timers;
        private final CoordinatorProperties properties;
        private final CoordinatorMetrics metrics;
        private volatile boolean running;

        Subscriber(
                RedisMessageListenerContainer container,
                ScheduledExecutorService timers,
                CoordinatorProperties properties,
                CoordinatorMetrics metrics) {
            this.container = container;
            this.timers = timers;
            this.properties = properties;
            this.metrics = metrics;
        }

        @Override
        public void start() {
            running = true;
            timers.execute(this::attempt);
        }

        private void attempt() {
            if (!running) {
                return;
            }
            try {
                container.start();
            } catch (RuntimeException e) {
                // A container whose start failed counts as started and would ignore the next start().
                container.stop();
                metrics.redisError();
                log.warn(
                        "Redis pub/sub unavailable, coalescing waits for it (next try in {}): {}",
                        properties.redisSubscribeRetry(),
                        e.toString());
                timers.schedule(this::attempt, properties.redisSubscribeRetry().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void stop() {
            running = false;
            container.stop();
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
