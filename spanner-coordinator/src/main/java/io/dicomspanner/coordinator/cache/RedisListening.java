package io.dicomspanner.coordinator.cache;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class RedisListening {

    /** Pub/sub for coalescing; it reconnects by itself after Redis comes back. */
    @Bean
    RedisMessageListenerContainer redisListeners(RedisConnectionFactory connections) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connections);
        return container;
    }
}
