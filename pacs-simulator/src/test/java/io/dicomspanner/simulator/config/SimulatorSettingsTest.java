package io.dicomspanner.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

    @Test
    void theDefaultFleetIsEightPacsAnsweringIn50To150MsOverThirtyThousandPatients() {
        SimulatorSettings settings = SimulatorSettings.defaults();

        assertThat(settings.population().patients()).isEqualTo(30_000);
        assertThat(settings.pacs())
                .extracting(PacsSettings::name, PacsSettings::aeTitle, PacsSettings::port)
                .containsExactly(
                        tuple("PACS_A", "PACSA", 11120),
                        tuple("PACS_B", "PACSB", 11121),
                        tuple("PACS_C", "PACSC", 11122),
                        tuple("PACS_D", "PACSD", 11123),
                        tuple("PACS_E", "PACSE", 11124),
                        tuple("PACS_F", "PACSF", 11125),
                        tuple("PACS_G", "PACSG", 11126),
                        tuple("PACS_H", "PACSH", 11127));
        assertThat(settings.pacs()).allSatisfy(p -> {
            assertThat(p.minLatencyMillis()).isEqualTo(50);
            assertThat(p.maxLatencyMillis()).isEqualTo(150);
            assertThat(p.errorRate()).isZero();
            assertThat(p.mode()).isEqualTo(PacsMode.NORMAL);
            assertThat(p.maxAssociations()).isEqualTo(20);
        });
    }

    @Test
    void theDefaultPacsHaveTheQuirksOfRealOnes() {
        List<PacsSettings> pacs = PacsSettings.defaultFleet();

        assertThat(pacs.get(0)).isEqualTo(pacs.get(0).withoutQuirks());
        assertThat(pacs.get(1).caseInsensitivePersonName()).isTrue();
        assertThat(pacs.get(2).relationalQueries()).isFalse();
        assertThat(pacs.get(2).unsupportedKeyReturn()).isEqualTo(UnsupportedKeyReturn.OMITTED);
        assertThat(pacs.get(3).maxResults()).isEqualTo(500);
        assertThat(pacs.get(3).maxResultsBehaviour()).isEqualTo(MaxResultsBehaviour.TRUNCATE);
        assertThat(pacs.get(4).unstoredAttributes()).containsExactly("StudyDescription");
        assertThat(pacs.get(5).relationalQueries()).isFalse();
        assertThat(pacs.get(6).maxResults()).isEqualTo(500);
        assertThat(pacs.get(6).maxResultsBehaviour()).isEqualTo(MaxResultsBehaviour.REFUSE);
        assertThat(pacs.get(6).unstoredAttributes()).containsExactly("ReferringPhysicianName");
        assertThat(pacs.get(7)).isEqualTo(pacs.get(7).withoutQuirks());
    }

    @Test
    void invalidPacsSettingsAreRejectedNamingThePacs() {
        PacsSettings a = PacsSettings.defaults(0);

        assertThatThrownBy(() -> a.withLatency(150, 50))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PACS_A: latency must satisfy 0 <= min <= max, was 150..50 ms");
        assertThatThrownBy(() -> a.withErrorRate(1.5)).hasMessage("PACS_A: errorRate must be in [0, 1], was 1.5");
        assertThatThrownBy(() -> a.withMaxAssociations(0))
                .hasMessage("PACS_A: maxAssociations must be at least 1, was 0");
        assertThatThrownBy(() -> a.withUnstoredAttributes(Set.of("StudyDescriptio")))
                .hasMessage("PACS_A: unknown attribute keyword StudyDescriptio");
        assertThatThrownBy(() -> a.withPort(70_000)).hasMessage("PACS_A: port must be in [1, 65535], was 70000");
    }

    @Test
    void unmatchedAttributesAreKeywordsNoneOfThemUnstored() {
        PacsSettings a = PacsSettings.defaults(0).withUnstoredAttributes(Set.of("StudyDescription"));

        assertThat(a.withUnmatchedAttributes(Set.of("ModalitiesInStudy", "AccessionNumber"))
                        .unmatchedAttributes())
                .containsExactlyInAnyOrder("AccessionNumber", "ModalitiesInStudy");
        assertThat(PacsSettings.defaults(0).unmatchedAttributes()).isEmpty();
        assertThatThrownBy(() -> a.withUnmatchedAttributes(Set.of("ModalitiesInStudi")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PACS_A: unknown attribute keyword ModalitiesInStudi");
        assertThatThrownBy(() -> a.withUnmatchedAttributes(Set.of("ModalitiesInStudy", "StudyDescription")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PACS_A: StudyDescription cannot be both unstored and unmatched: an unstored attribute is"
                        + " never matched and never returned, an unmatched one is returned with its value");
    }

    @Test
    void aFleetRejectsTwoPacsWithOneNameAeTitleOrPort() {
        SimulatorSettings settings = SimulatorSettings.defaults();

        assertThatThrownBy(() -> settings.withPacs(1, PacsSettings.defaults(1).withPort(11120)))
                .hasMessage("two PACS listen on port 11120");
        assertThatThrownBy(() -> settings.withPacs(List.of())).hasMessage("a fleet has 1 to 999 PACS, was 0");
    }

    @Test
    void populationSharesOutsideZeroToOneAreRejected() {
        assertThatThrownBy(() -> PopulationSettings.defaults().withReplicatedStudyShare(1.2))
                .hasMessage("replicatedStudyShare must be in [0, 1], was 1.2");
        assertThatThrownBy(() -> PopulationSettings.defaults().withPatients(0))
                .hasMessage("patients must be in [1, 1000000], was 0");
    }
}
