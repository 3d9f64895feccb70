package io.dicomspanner.dicom.net;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** Creates and stops the event loop groups that clients and servers own. */
final class EventLoops {
    private EventLoops() {}

    static EventLoopGroup create(String name, DicomSettings settings) {
        return new MultiThreadIoEventLoopGroup(
                settings.eventLoopThreads(), new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    /** Stops a group and waits a little for its threads, so a closed client or server leaves nothing running. */
    static void shutdown(EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
