package io.dicomspanner.simulator;

import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import io.dicomspanner.simulator.data.FleetDataset;
import java.util.ArrayList;
import java.util.List;

/** The simulated PACS of one {@link SimulatorSettings}, over one generated {@link FleetDataset}. */
public final class SimulatedFleet {
    private final SimulatorSettings settings;
    private final FleetDataset dataset;
    private final List<SimulatedPacs> pacs;

    private SimulatedFleet(SimulatorSettings settings, FleetDataset dataset, List<SimulatedPacs> pacs) {
        this.settings = settings;
        this.dataset = dataset;
        this.pacs = List.copyOf(pacs);
    }

    /** Generates the data and sets up every PACS; nothing listens on the network yet. */
    public static SimulatedFleet build(SimulatorSettings settings) {
        FleetDataset dataset =
                FleetDataset.generate(settings.population(), settings.pacs().size());
        List<SimulatedPacs> list = new ArrayList<>();
        for (int i = 0; i < settings.pacs().size(); i++) {
            PacsSettings p = settings.pacs().get(i);
            list.add(new SimulatedPacs(
                    i, p, dataset.view(i), settings.population().seed()));
        }
        return new SimulatedFleet(settings, dataset, list);
    }

    public SimulatorSettings settings() {
        return settings;
    }

    public FleetDataset dataset() {
        return dataset;
    }

    public List<SimulatedPacs> pacs() {
        return pacs;
    }

    /** The PACS named {@code name} (e.g. {@code PACS_A}). */
    public SimulatedPacs pacs(String name) {
        return pacs.get(settings.indexOf(name));
    }
}
