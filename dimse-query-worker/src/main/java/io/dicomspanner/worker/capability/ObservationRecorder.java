package io.dicomspanner.worker.capability;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.worker.metrics.WorkerMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Stores observations of sources' matching keys ({@link KeyObservationRows}) on a thread of its own, one at a time in
 * the order given: never on an event-loop or task thread, so a slow or absent database costs a task nothing. A write
 * that fails, or finds the queue full, is logged (source id and keyword only) and counted, never thrown.
 */
@Component
public class ObservationRecorder implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(ObservationRecorder.class);
    /** Writes waiting at most; beyond, observations are dropped (and counted): they will be seen again. */
    private static final int QUEUE = 256;

    private final KeyObservationRows rows;
    private final WorkerMetrics metrics;
    private final ThreadPoolExecutor writer =
            new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "key-observations");
                t.setDaemon(true);
                return t;
            });

    public ObservationRecorder(JdbcClient jdbc, WorkerMetrics metrics) {
        this.rows = new KeyObservationRows(jdbc);
        this.metrics = metrics;
    }

    /** Stores {@code observation} later; the future tells whether it was stored, and never fails. */
    public CompletableFuture<Boolean> record(KeyObservation observation) {
        try {
            return CompletableFuture.supplyAsync(() -> write(observation), writer);
        } catch (RejectedExecutionException e) {
            LOG.warn(
                    "observation of key {} of source {} not stored: too many waiting",
                    observation.keyword(),
                    observation.sourceId());
            metrics.keyObservationFailed(observation.sourceId());
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Completes once every observation given before has been stored or has failed. */
    public CompletableFuture<Void> drained() {
        return CompletableFuture.runAsync(() -> {}, writer);
    }

    private boolean write(KeyObservation observation) {
        try {
            if (rows.record(observation)) {
                LOG.info(
                        "source {}: key {} {} by the worker from now on ({})",
                        observation.sourceId(),
                        observation.keyword(),
                        observation.needsVerification() ? "verified" : "no longer verified",
                        observation.origin().wire());
            }
            return true;
        } catch (RuntimeException e) {
            // the exception's text may quote the statement's parameters; the evidence holds counts only, but say less
            LOG.warn(
                    "observation of key {} of source {} not stored: {}",
                    observation.keyword(),
                    observation.sourceId(),
                    e.getClass().getSimpleName());
            metrics.keyObservationFailed(observation.sourceId());
            return false;
        }
    }

    @Override
    public void destroy() {
        writer.shutdown();
    }
}
