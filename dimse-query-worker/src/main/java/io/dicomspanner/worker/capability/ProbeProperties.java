package io.dicomspanner.worker.capability;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The capability probe run on request ({@code spanner.worker.probe}); defaults in application.yaml, described in
 * docs/configuration-worker.md.
 *
 * @param timeout longest a whole probe may take; past it the probe is recorded as failed. Also how long a worker's
 *     claim of a request is kept.
 */
@ConfigurationProperties(prefix = "spanner.worker.probe")
public record ProbeProperties(Duration timeout) {}
