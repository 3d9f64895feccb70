package io.dicomspanner.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceSamplerTest {

    @Test
    void queuesAreGroupedByWhatTheyHold() {
        assertThat(ResourceSampler.groupOf("spanner.requests")).isEqualTo("spanner.requests");
        assertThat(ResourceSampler.groupOf("spanner.dead-letters")).isEqualTo("spanner.dead-letters");
        assertThat(ResourceSampler.groupOf("spanner.tasks.source.17")).isEqualTo("spanner.tasks.source.* (all)");
        assertThat(ResourceSampler.groupOf("spanner.results.coordinator-1"))
                .isEqualTo("other spanner queues (answers, results)");
    }

    @Test
    void theResidentMemoryOfThisProcessIsReadAndAGoneProcessReadsMinusOne() {
        long own = ResourceSampler.rssKib(ProcessHandle.current().pid());

        assertThat(own).isGreaterThan(10_000); // a JVM holds more than 10 MB
        assertThat(ResourceSampler.rssKib(Integer.MAX_VALUE)).isEqualTo(-1);
    }

    @Test
    void theTableShowsFirstLastAndHighestSampleInMegabytes() {
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("this JVM", ProcessHandle.current().pid());
        pids.put("gone", (long) Integer.MAX_VALUE);
        ResourceSampler sampler = new ResourceSampler(pids, null);

        sampler.sample();
        byte[] held = new byte[64 * 1024 * 1024];
        Arrays.fill(held, (byte) 1); // touched, so resident
        sampler.sample();

        ResourceSampler.Memory own = sampler.memory().get("this JVM");
        assertThat(own.lastKib()).isGreaterThan(own.firstKib());
        assertThat(own.maxKib()).isEqualTo(Math.max(own.firstKib(), own.lastKib()));
        assertThat(sampler.memory().get("gone")).isEqualTo(new ResourceSampler.Memory(-1, -1, -1));
        List<String> table = sampler.tables();
        assertThat(table.get(0)).isEqualTo("| process | RSS MB, first sample | last | highest |");
        assertThat(table.get(3)).isEqualTo("| gone | ? | ? | ? |");
        assertThat(table.get(2))
                .isEqualTo(String.format(
                        Locale.ROOT,
                        "| this JVM | %.0f | %.0f | %.0f |",
                        own.firstKib() / 1024.0,
                        own.lastKib() / 1024.0,
                        own.maxKib() / 1024.0));
        assertThat(held[held.length - 1]).isEqualTo((byte) 1);
    }
}
