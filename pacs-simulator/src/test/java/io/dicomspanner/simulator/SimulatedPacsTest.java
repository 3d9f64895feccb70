package io.dicomspanner.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import io.dicomspanner.simulator.find.FindStatus;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedPacsTest {
    private static final SimulatorSettings SETTINGS = SimulatorSettings.defaults()
            .withPopulation(PopulationSettings.defaults().withSeed(3).withPatients(100));
    private static final int DRAWS = 400;

    @Test
    void theFleetHasPacsAToHEachAnsweringWithItsOwnAeTitleFromItsOwnHoldings() {
        SimulatedFleet fleet = SimulatedFleet.build(SETTINGS);

        assertThat(fleet.pacs())
                .extracting(SimulatedPacs::name)
                .containsExactly("PACS_A", "PACS_B", "PACS_C", "PACS_D", "PACS_E", "PACS_F", "PACS_G", "PACS_H");
        SimulatedPacs g = fleet.pacs("PACS_G");
        assertThat(g.index()).isEqualTo(6);
        assertThat(g.holdings()).isSameAs(fleet.dataset().view(6));
        String studyUid = g.holdings().studies().get(0).study().studyInstanceUid();
        SimulatedAnswer answer = g.answer(InformationModel.STUDY_ROOT, byStudyUid(studyUid));
        Attributes response = answer.responses().next();
        assertThat(response.getString(Tag.RETRIEVE_AE_TITLE)).isEqualTo("PACSG");
        assertThat(response.getString(Tag.STUDY_INSTANCE_UID)).isEqualTo(studyUid);
    }

    @Test
    void latencyIsDrawnUniformlyFromTheConfiguredRangeBothEndsIncluded() {
        SimulatedPacs pacs =
                fleetWith(PacsSettings.defaults(0).withLatency(50, 53)).pacs("PACS_A");
        Set<Duration> seen = new HashSet<>();

        for (int i = 0; i < DRAWS; i++) {
            seen.add(pacs.answer(InformationModel.STUDY_ROOT, byStudyUid("1.2.3"))
                    .latency());
        }

        assertThat(seen)
                .containsExactlyInAnyOrder(
                        Duration.ofMillis(50), Duration.ofMillis(51), Duration.ofMillis(52), Duration.ofMillis(53));
    }

    @Test
    void anErrorRateOfOneFailsEveryQueryWithA700AndZeroFailsNone() {
        SimulatedFleet fleet = fleetWith(PacsSettings.defaults(0).withErrorRate(1.0));
        SimulatedPacs failing = fleet.pacs("PACS_A");
        SimulatedPacs healthy = fleet.pacs("PACS_H");

        for (int i = 0; i < DRAWS; i++) {
            SimulatedAnswer failed = failing.answer(InformationModel.STUDY_ROOT, byStudyUid("1.2.3"));
            SimulatedAnswer answered = healthy.answer(InformationModel.STUDY_ROOT, byStudyUid("1.2.3"));
            assertThat(failed.injectedFailure()).isTrue();
            assertThat(failed.responses().hasNext()).isFalse();
            assertThat(failed.responses().finalStatus())
                    .isEqualTo(FindStatus.failure(Status.OUT_OF_RESOURCES, "Simulated failure (error rate)"));
            assertThat(answered.injectedFailure()).isFalse();
            assertThat(answered.responses().hasNext()).isFalse();
            assertThat(answered.responses().finalStatus()).isEqualTo(FindStatus.success());
        }
    }

    @Test
    void anErrorRateFailsThatShareOfQueries() {
        SimulatedPacs pacs =
                fleetWith(PacsSettings.defaults(0).withErrorRate(0.25)).pacs("PACS_A");
        int failed = 0;

        for (int i = 0; i < DRAWS; i++) {
            failed += pacs.answer(InformationModel.STUDY_ROOT, byStudyUid("1.2.3"))
                            .injectedFailure()
                    ? 1
                    : 0;
        }

        double sd = Math.sqrt(0.25 * 0.75 / DRAWS);
        assertThat((double) failed / DRAWS).isBetween(0.25 - 4 * sd, 0.25 + 4 * sd);
    }

    private static SimulatedFleet fleetWith(PacsSettings first) {
        return SimulatedFleet.build(SETTINGS.withPacs(0, first));
    }

    private static Attributes byStudyUid(String uid) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
    }
}
