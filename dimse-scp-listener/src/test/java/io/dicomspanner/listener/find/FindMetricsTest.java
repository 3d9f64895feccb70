package io.dicomspanner.listener.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.net.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FindMetricsTest {

    @Test
    void aSuccessWithUnverifiedMatchesIsCountedByItsStatusAndAsUnverified() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        FindMetrics metrics = new FindMetrics(meters, new AtomicInteger());

        metrics.finished(Status.SUCCESS);
        metrics.unverified();
        metrics.finished(Status.SUCCESS);

        assertThat(meters.get("spanner.listener.finds")
                        .tag("status", "0000")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(meters.get("spanner.listener.finds.unverified").counter().count())
                .isEqualTo(1.0);
    }
}
