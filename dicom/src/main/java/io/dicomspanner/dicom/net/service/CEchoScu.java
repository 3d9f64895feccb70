package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.DimseResponseHandler;
import io.dicomspanner.dicom.net.SopClasses;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The Verification SOP class as SCU: C-ECHO. */
public final class CEchoScu {
    private CEchoScu() {}

    /**
     * Sends C-ECHO-RQ; the future completes with the response status (0000H = success). Without a response within
     * the settings' response timeout the association is aborted and the future fails with {@link
     * DicomTimeoutException}.
     */
    public static CompletableFuture<Integer> echo(Association association) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Duration timeout = association.settings().responseTimeout();
        ScheduledFuture<?> timer = association
                .executor()
                .schedule(
                        () -> {
                            if (result.completeExceptionally(new DicomTimeoutException(
                                    "no C-ECHO-RSP within " + timeout.toMillis() + " ms from " + association))) {
                                association.abort();
                            }
                        },
                        timeout.toNanos(),
                        TimeUnit.NANOSECONDS);
        association.invoke(SopClasses.VERIFICATION, Commands.echoRq(), null, new DimseResponseHandler() {
            @Override
            public void onResponse(DimseMessage response) {
                timer.cancel(false);
                result.complete(response.status());
            }

            @Override
            public void onFailure(Throwable cause) {
                timer.cancel(false);
                result.completeExceptionally(cause);
            }
        });
        return result;
    }
}
