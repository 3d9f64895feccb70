package io.dicomspanner.coordinator.query;

import io.dicomspanner.coordinator.CoordinatorProperties;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one clock and the timers that end queries at their deadlines. */
@Configuration(proxyBeanMethods = false)
class QueryClock {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService queryTimers(CoordinatorProperties properties) {
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(properties.timerThreads(), r -> {
            Thread t = new Thread(r, "query-timer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Most deadlines are cancelled because the sources answered first; keep the queue free of them.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
