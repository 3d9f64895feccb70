package io.dicomspanner.bench.load;

import java.time.Duration;
import java.util.Random;

/**
 * A closed-loop client's pause between an answer and its next query, drawn uniformly from 0.5 to 1.5 times the mean:
 * with a fixed pause, clients that once answered together would keep sending together, in bursts no set of
 * independent users makes. Each client also starts after a random part of one mean pause, not all at once.
 */
public record ThinkTime(Duration mean) {

    public boolean isZero() {
        return mean.isZero();
    }

    /** The pause before the next query. */
    public long nextMillis(Random random) {
        return (long) (mean.toMillis() * (0.5 + random.nextDouble()));
    }

    /** The pause before a client's first query. */
    public long startMillis(Random random) {
        return (long) (random.nextDouble() * mean.toMillis());
    }
}
