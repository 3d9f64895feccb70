package io.dicomspanner.simulator.config;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a simulated fleet is built from: the population it holds and the PACS that hold it. The defaults are 8
 * PACS ({@link PacsSettings#defaultFleet()}) sharing 30,000 patients ({@link PopulationSettings#defaults()}); both
 * are listed with their defaults in {@code docs/simulator.md}.
 */
public record SimulatorSettings(PopulationSettings population, List<PacsSettings> pacs) {

    /** Most PACS a fleet may have ({@link PacsSettings#MAX_FLEET_SIZE}): enough for the scaling runs of hundreds. */
    public static final int MAX_PACS = PacsSettings.MAX_FLEET_SIZE;

    public SimulatorSettings {
        Objects.requireNonNull(population, "population");
        pacs = List.copyOf(pacs);
        if (pacs.isEmpty() || pacs.size() > MAX_PACS) {
            throw new IllegalArgumentException("a fleet has 1 to " + MAX_PACS + " PACS, was " + pacs.size());
        }
        Set<String> names = new HashSet<>();
        Set<String> aeTitles = new HashSet<>();
        Set<Integer> ports = new HashSet<>();
        for (PacsSettings p : pacs) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two PACS are named " + p.name());
            }
            if (!aeTitles.add(p.aeTitle())) {
                throw new IllegalArgumentException("two PACS have the AE title " + p.aeTitle());
            }
            if (!ports.add(p.port())) {
                throw new IllegalArgumentException("two PACS listen on port " + p.port());
            }
        }
    }

    public static SimulatorSettings defaults() {
        return new SimulatorSettings(PopulationSettings.defaults(), PacsSettings.defaultFleet());
    }

    public SimulatorSettings withPopulation(PopulationSettings value) {
        return new SimulatorSettings(value, pacs);
    }

    public SimulatorSettings withPacs(List<PacsSettings> value) {
        return new SimulatorSettings(population, value);
    }

    /** A copy with PACS number {@code index} replaced. */
    public SimulatorSettings withPacs(int index, PacsSettings value) {
        PacsSettings[] copy = pacs.toArray(new PacsSettings[0]);
        copy[index] = value;
        return new SimulatorSettings(population, List.of(copy));
    }

    /** The index of the PACS named {@code name}. */
    public int indexOf(String name) {
        for (int i = 0; i < pacs.size(); i++) {
            if (pacs.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no PACS named " + name);
    }
}
