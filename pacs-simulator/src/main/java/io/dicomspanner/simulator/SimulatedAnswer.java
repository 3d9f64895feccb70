package io.dicomspanner.simulator;

import io.dicomspanner.simulator.find.FindResponses;
import java.time.Duration;
import java.util.Objects;

/**
 * How a simulated PACS answers one C-FIND: after {@code latency}, the {@code responses} (the search runs as they are
 * taken, so the latency is the time before the first response, not a cost of the search).
 *
 * @param injectedFailure whether the failure is the PACS's error rate at work rather than an answer to the query
 */
public record SimulatedAnswer(Duration latency, FindResponses responses, boolean injectedFailure) {

    public SimulatedAnswer {
        Objects.requireNonNull(latency, "latency");
        Objects.requireNonNull(responses, "responses");
    }
}
