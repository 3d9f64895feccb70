package io.dicomspanner.gateway.span;

import jakarta.annotation.PreDestroy;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * Test contexts declare exchanges with names unique to the context (application-test.yaml); this removes them from
 * the shared broker when the context closes, so test runs leave nothing behind.
 */
@Component
@ConditionalOnWebApplication
class TestBrokerCleanup {

    private final RabbitAdmin admin;
    private final SpanProperties properties;

    TestBrokerCleanup(RabbitAdmin admin, SpanProperties properties) {
        this.admin = admin;
        this.properties = properties;
    }

    @PreDestroy
    void deleteThisContextsExchanges() {
        admin.deleteExchange(properties.requestsExchange());
        admin.deleteExchange(properties.healthEchoExchange());
    }
}
