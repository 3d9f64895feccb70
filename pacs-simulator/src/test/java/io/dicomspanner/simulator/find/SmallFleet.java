package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.data.FleetDataset;
import io.dicomspanner.simulator.data.PacsView;
import io.dicomspanner.simulator.data.StudyCopy;
import io.dicomspanner.simulator.data.StudyRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** One small fleet (400 patients on 8 PACS, seed 7) shared by the engine tests, and helpers to query it. */
final class SmallFleet {
    static final PopulationSettings POPULATION =
            PopulationSettings.defaults().withSeed(7).withPatients(400);
    static final FleetDataset FLEET = FleetDataset.generate(POPULATION, PacsSettings.DEFAULT_FLEET_SIZE);

    private SmallFleet() {}

    /** PACS {@code pacs} of the fleet without any quirk, AE title PACSA, PACSB, ... */
    static PacsSettings plain(int pacs) {
        return PacsSettings.defaults(pacs).withoutQuirks();
    }

    static CFindEngine engine(int pacs) {
        return new CFindEngine(FLEET.view(pacs), plain(pacs));
    }

    static CFindEngine engine(int pacs, PacsSettings settings) {
        return new CFindEngine(FLEET.view(pacs), settings);
    }

    static PacsView view(int pacs) {
        return FLEET.view(pacs);
    }

    /** The first study of the fleet (in study order) that satisfies {@code test}. */
    static StudyRecord firstStudy(Predicate<StudyRecord> test) {
        for (StudyRecord s : FLEET.studies()) {
            if (test.test(s)) {
                return s;
            }
        }
        throw new IllegalStateException("the small fleet has no such study");
    }

    /** The first replica copy of the fleet that satisfies {@code test}. */
    static StudyCopy firstReplica(Predicate<StudyCopy> test) {
        for (StudyRecord s : FLEET.studies()) {
            for (StudyCopy c : s.copies()) {
                if (!c.isPrimary() && test.test(c)) {
                    return c;
                }
            }
        }
        throw new IllegalStateException("the small fleet has no such replica");
    }

    /** Takes every pending response. */
    static List<Attributes> drain(FindResponses responses) {
        List<Attributes> all = new ArrayList<>();
        responses.forEachRemaining(all::add);
        return all;
    }
}
