package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the dashboard and alert checks rely on. */
class PromQlTest {

    @Test
    void namesAreTheSeriesReadNotFunctionsLabelsStringsOrRanges() {
        String expr = "histogram_quantile(0.95, sum by (le, entry_point) "
                + "(rate(spanner_query_duration_seconds_bucket{level=~\"study|series\",source=~\"$source\"}[5m]))) > 2"
                + " or on (instance) up{job=\"x\"} == 0 unless absent(spanner_worker_busy_tasks offset 5m)";

        assertThat(PromQl.metricNames(expr))
                .containsExactly("spanner_query_duration_seconds_bucket", "spanner_worker_busy_tasks", "up");
    }

    @Test
    void aGrafanaLabelValuesQueryReadsItsMetricOnly() {
        assertThat(PromQl.metricNames("label_values(spanner_worker_cfind_duration_seconds_count, source)"))
                .containsExactly("spanner_worker_cfind_duration_seconds_count");
    }

    @Test
    void aRatioOfTwoAggregationsReadsBoth() {
        assertThat(
                        PromQl.metricNames(
                                "sum(avg_over_time(spanner_worker_busy_tasks[$__rate_interval])) / sum(spanner_worker_task_capacity)"))
                .containsExactly("spanner_worker_busy_tasks", "spanner_worker_task_capacity");
    }
}
