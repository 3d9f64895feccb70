package io.dicomspanner.bench.load;

import java.time.Duration;
import java.util.Random;
import java.util.SplittableRandom;

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

    /**
     * One client's random numbers, from the run's seed. Not {@code new Random(seed + client)}: the first numbers of
     * Randoms with adjacent seeds are nearly equal (100 clients' first {@link #startMillis} fell within 2.3 % of one
     * another), so every client started at the same moment and the first queries came as one burst.
     * {@link SplittableRandom} mixes its seed, so adjacent seeds give unrelated numbers.
     */
    public static Random forClient(long seed, int client) {
        return new Random(new SplittableRandom(seed + client).nextLong());
    }
}
