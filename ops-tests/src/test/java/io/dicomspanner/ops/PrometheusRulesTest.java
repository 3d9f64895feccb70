package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.Command;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** monitoring/prometheus.yml and alerts.yml pass promtool, and every alert is proven by a rule unit test. */
class PrometheusRulesTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @Test
    void prometheusConfigAndItsRuleFileAreValid() {
        Command check = Command.run(
                Repo.path("monitoring"), Map.of(), TIMEOUT, "promtool", "check", "config", "prometheus.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.out() + check.err())
                .contains("SUCCESS: prometheus.yml is valid prometheus config file syntax")
                .contains("SUCCESS: 9 rules found");
    }

    @Test
    void theAlertsAreTheIssuesFiveAndFourMore() {
        assertThat(MonitoringQueries.alerts().keySet())
                .containsExactly(
                        "alerts.yml: SpanningQueryFailureRateHigh",
                        "alerts.yml: WorkerSaturationHigh",
                        "alerts.yml: QueueBacklogHigh",
                        "alerts.yml: PacsConnectionFailures",
                        "alerts.yml: PacsDown",
                        "alerts.yml: SpanningQueryResponseTimeHigh",
                        "alerts.yml: ServiceInstanceDown",
                        "alerts.yml: CertificateExpiresSoon",
                        "alerts.yml: SealedValuesRejected");
    }

    @Test
    void theRuleUnitTestsPass() {
        Command test = Command.run(
                Repo.path("monitoring"), Map.of(), TIMEOUT, "promtool", "test", "rules", "tests/alerts-test.yml");

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.out() + test.err()).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasAFiringAndAQuietRuleTest() {
        Map<String, Object> file = new Yaml().load(Repo.read("monitoring/tests/alerts-test.yml"));
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) file.get("tests")) {
            for (Map<String, Object> check : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected.isEmpty() ? quiet : fires).add((String) check.get("alertname"));
            }
        }
        Set<String> alerts = new HashSet<>();
        MonitoringQueries.alerts().keySet().forEach(k -> alerts.add(k.substring("alerts.yml: ".length())));

        assertThat(fires).isEqualTo(alerts);
        assertThat(quiet).isEqualTo(alerts);
    }
}
