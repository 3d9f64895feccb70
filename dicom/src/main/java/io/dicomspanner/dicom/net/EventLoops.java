package io.dicomspanner.dicom.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Event loop groups for DICOM clients and servers. Create one here to share among a client, a server and a pool
 * (each otherwise creates its own); pass it to them and stop it with {@link #shutdown} after closing them.
 */
public final class EventLoops {
    private EventLoops() {}

    /** A group of {@link DicomSettings#eventLoopThreads()} daemon threads named after {@code name}. */
    public static EventLoopGroup create(String name, DicomSettings settings) {
        return new MultiThreadIoEventLoopGroup(
                settings.eventLoopThreads(), new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    /**
     * Aborts the associations, closes each connection once its A-ABORT is written (not before, which could lose it;
     * not waiting for the peer either, which a peer in the middle of our release never does, see
     * {@link Association#abortAndClose}), and waits at most the ARTIM timeout for that. Does not wait when called on one
     * of the group's own threads, which would deadlock.
     */
    static void abortAll(Collection<Association> associations, EventLoopGroup group, DicomSettings settings) {
        List<CompletableFuture<Void>> closed = new ArrayList<>();
        for (Association as : associations) {
            as.abortAndClose();
            closed.add(as.closeFuture());
        }
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return;
            }
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new))
                    .get(settings.artimTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // peers that do not close in time are closed by the caller
        }
    }

    /** Stops a group and waits a little for its threads, so a closed client or server leaves nothing running. */
    public static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
