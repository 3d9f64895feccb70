package io.dicomspanner.dicom.net.pool;

import io.dicomspanner.dicom.net.Association;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lease on a pooled association for one operation. Release it when the operation's final response came (or it
 * failed); releasing twice does nothing. Do not release the association itself: the pool does, when idle.
 */
public final class PooledAssociation implements AutoCloseable {
    private final PeerPool pool;
    private final PeerPool.Entry entry;
    private final AtomicBoolean released = new AtomicBoolean();

    PooledAssociation(PeerPool pool, PeerPool.Entry entry) {
        this.pool = pool;
        this.entry = entry;
    }

    public Association association() {
        return entry.association;
    }

    /** Gives the association back to the pool (or drops it from the pool if it broke meanwhile). */
    public void release() {
        if (released.compareAndSet(false, true)) {
            pool.release(entry);
        }
    }

    @Override
    public void close() {
        release();
    }
}
