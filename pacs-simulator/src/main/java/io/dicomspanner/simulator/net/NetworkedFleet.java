package io.dicomspanner.simulator.net;

import io.dicomspanner.dicom.net.EventLoops;
import io.dicomspanner.simulator.SimulatedFleet;
import io.dicomspanner.simulator.SimulatedPacs;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SimulatedFleet} on the network: one {@link SimulatedPacsServer} per PACS, all on one set of event loops and
 * one pool of answer threads. {@link #close()} stops every PACS (their associations are aborted) and those threads.
 */
public final class NetworkedFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkedFleet.class);

    /** How long {@link #close()} waits for running searches to notice they were cancelled. */
    private static final long ANSWER_THREADS_STOP_SECONDS = 5;

    private final SimulatedFleet fleet;
    private final List<SimulatedPacsServer> servers;
    private final EventLoopGroup eventLoops;
    private final ExecutorService answerThreads;

    private NetworkedFleet(
            SimulatedFleet fleet,
            List<SimulatedPacsServer> servers,
            EventLoopGroup eventLoops,
            ExecutorService answerThreads) {
        this.fleet = fleet;
        this.servers = List.copyOf(servers);
        this.eventLoops = eventLoops;
        this.answerThreads = answerThreads;
    }

    /**
     * Starts every PACS of {@code fleet} that is not dead; if one cannot bind its port, those already started are
     * stopped and the failure thrown.
     */
    public static NetworkedFleet start(SimulatedFleet fleet, NetworkSettings settings) throws IOException {
        return start(fleet, settings, (pacs, stats) -> {});
    }

    /**
     * As {@link #start(SimulatedFleet, NetworkSettings)}, telling {@code onPeakOrReject} each time a PACS's most
     * concurrent associations rise or it rejects one past its limit.
     */
    public static NetworkedFleet start(
            SimulatedFleet fleet,
            NetworkSettings settings,
            BiConsumer<SimulatedPacs, AssociationCount.Stats> onPeakOrReject)
            throws IOException {
        EventLoopGroup eventLoops = EventLoops.create("pacs-simulator", settings.dicom());
        ExecutorService answerThreads =
                Executors.newFixedThreadPool(settings.answerThreads(), new AnswerThreadFactory());
        List<SimulatedPacsServer> servers = new ArrayList<>();
        try {
            for (SimulatedPacs pacs : fleet.pacs()) {
                servers.add(SimulatedPacsServer.start(
                        pacs, settings, eventLoops, answerThreads, stats -> onPeakOrReject.accept(pacs, stats)));
            }
        } catch (IOException | RuntimeException e) {
            servers.forEach(SimulatedPacsServer::close);
            stop(eventLoops, answerThreads);
            throw e;
        }
        return new NetworkedFleet(fleet, servers, eventLoops, answerThreads);
    }

    public SimulatedFleet fleet() {
        return fleet;
    }

    /** One per PACS, in fleet order. */
    public List<SimulatedPacsServer> servers() {
        return servers;
    }

    /** The server of the PACS named {@code name}. */
    public SimulatedPacsServer server(String name) {
        return servers.get(fleet.settings().indexOf(name));
    }

    @Override
    public void close() {
        servers.forEach(SimulatedPacsServer::close);
        stop(eventLoops, answerThreads);
        LOG.info("simulated fleet of {} PACS stopped", servers.size());
    }

    /** Event loops first, so no latency timer hands an answer to stopped answer threads. */
    private static void stop(EventLoopGroup eventLoops, ExecutorService answerThreads) {
        EventLoops.shutdown(eventLoops);
        answerThreads.shutdownNow();
        try {
            if (!answerThreads.awaitTermination(ANSWER_THREADS_STOP_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("answer threads still running {} s after the fleet stopped", ANSWER_THREADS_STOP_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads, so a fleet left open in a test never keeps the JVM alive. */
    private static final class AnswerThreadFactory implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "pacs-simulator-answer-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
