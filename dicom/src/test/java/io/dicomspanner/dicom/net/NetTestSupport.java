package io.dicomspanner.dicom.net;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Settings with short timeouts so failure paths finish quickly, yet long enough that a loaded CI machine does not trip
 * them by accident (tests of a timeout set their own), and a bounded wait for futures.
 */
public final class NetTestSupport {
    public static final DicomSettings FAST = DicomSettings.builder()
            .artimTimeout(Duration.ofSeconds(2))
            .pduReadTimeout(Duration.ofSeconds(2))
            .releaseTimeout(Duration.ofSeconds(2))
            .associateTimeout(Duration.ofSeconds(5))
            .connectTimeout(Duration.ofSeconds(5))
            .eventLoopThreads(2)
            .build();

    private NetTestSupport() {}

    /** Waits at most 10 s: a test that hangs is a failure with a message, not a stuck build. */
    public static <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no result within 10 s", e);
        }
    }

    /** The exception a future failed with (unwrapped), or an assertion error if it did not fail. */
    public static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no result within 10 s", e);
        }
        throw new AssertionError("expected a failure, got " + future.join());
    }
}
