package io.dicomspanner.simulator;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.data.PacsView;
import io.dicomspanner.simulator.find.CFindEngine;
import io.dicomspanner.simulator.find.FindResponses;
import io.dicomspanner.simulator.find.FindStatus;
import java.time.Duration;
import java.util.Random;

/**
 * One simulated PACS, data side: what it holds, how it answers C-FIND, and the per-query draws of its latency and
 * error rate. The network side ({@link io.dicomspanner.simulator.net.SimulatedPacsServer}: association limits, dead
 * and hanging modes, sending the responses after the latency) is built on top of {@link #answer}.
 *
 * <p>Thread-safe. Latency and failures come from a random stream seeded by the fleet's seed and the PACS's index, so a
 * run that sends the same queries in the same order sees the same draws.
 */
public final class SimulatedPacs {
    /** The Error Comment of an injected failure. */
    static final String INJECTED_FAILURE_COMMENT = "Simulated failure (error rate)";

    private final int index;
    private final PacsSettings settings;
    private final PacsView holdings;
    private final CFindEngine engine;
    private final Random draws;

    SimulatedPacs(int index, PacsSettings settings, PacsView holdings, long seed) {
        this.index = index;
        this.settings = settings;
        this.holdings = holdings;
        this.engine = new CFindEngine(holdings, settings);
        this.draws = new Random(seed * 31 + index);
    }

    /** Position in the fleet, from 0. */
    public int index() {
        return index;
    }

    public PacsSettings settings() {
        return settings;
    }

    public String name() {
        return settings.name();
    }

    public String aeTitle() {
        return settings.aeTitle();
    }

    public PacsView holdings() {
        return holdings;
    }

    public CFindEngine engine() {
        return engine;
    }

    /**
     * This PACS's answer to one C-FIND: a latency drawn uniformly from its [min, max], and, with its error rate, a
     * refusal with status A700 (Refused: Out of Resources), else the engine's answer.
     */
    public SimulatedAnswer answer(InformationModel model, Attributes identifier) {
        return answer(model, identifier, true);
    }

    /**
     * As {@link #answer(InformationModel, Attributes)} for an SCU that did or did not negotiate relational queries;
     * without, a relational query fails with C000 (see {@link CFindEngine#find(InformationModel, Attributes,
     * boolean)}).
     */
    public SimulatedAnswer answer(InformationModel model, Attributes identifier, boolean relationalNegotiated) {
        Duration latency = Duration.ofMillis(settings.minLatencyMillis()
                + draws.nextInt(settings.maxLatencyMillis() - settings.minLatencyMillis() + 1));
        if (draws.nextDouble() < settings.errorRate()) {
            FindResponses failure =
                    FindResponses.refused(FindStatus.failure(Status.OUT_OF_RESOURCES, INJECTED_FAILURE_COMMENT));
            return new SimulatedAnswer(latency, failure, true);
        }
        return new SimulatedAnswer(latency, engine.find(model, identifier, relationalNegotiated), false);
    }

    @Override
    public String toString() {
        return "SimulatedPacs[" + settings.name() + " " + settings.aeTitle() + "]";
    }
}
