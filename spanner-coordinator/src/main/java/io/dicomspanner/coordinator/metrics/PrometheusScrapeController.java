package io.dicomspanner.coordinator.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /metrics}: the same text as {@code /actuator/prometheus}, at the path scrapers look for by default. */
@RestController
public class PrometheusScrapeController {

    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    public PrometheusScrapeController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @GetMapping(value = "/metrics", produces = TEXT_FORMAT)
    public String scrape() {
        return registry.scrape();
    }
}
