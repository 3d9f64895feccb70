package io.dicomspanner.coordinator.testing;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Deletes a test's queues from the shared RabbitMQ once its coordinator context is closed; while the context runs,
 * its listeners would declare a deleted queue again.
 */
public final class RabbitCleanup {

    private RabbitCleanup() {}

    public static void deleteQueues(Iterable<String> names) {
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(connections);
            for (String name : names) {
                admin.deleteQueue(name);
            }
        } finally {
            connections.destroy();
        }
    }
}
