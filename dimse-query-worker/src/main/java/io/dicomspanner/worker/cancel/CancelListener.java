package io.dicomspanner.worker.cancel;

import io.dicomspanner.common.messaging.CancelQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

/**
 * Every worker hears every {@link CancelQuery} through its own anonymous queue on the cancel fanout exchange (declared
 * in {@code TaskTopology}).
 */
@Component
public class CancelListener {
    private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);

    private final RunningQueries running;

    public CancelListener(RunningQueries running) {
        this.running = running;
    }

    @RabbitListener(queues = "#{cancelQueue.name}")
    public void onCancel(CancelQuery cancel) {
        int n = running.cancel(cancel.queryId());
        if (n > 0) {
            LOG.info("query {}: C-CANCEL sent on {} running C-FINDs", cancel.queryId(), n);
        }
    }
}
