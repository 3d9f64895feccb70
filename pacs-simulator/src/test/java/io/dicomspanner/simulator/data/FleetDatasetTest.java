package io.dicomspanner.simulator.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.dicomspanner.simulator.config.PopulationSettings;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetDatasetTest {
    private static final int PACS = 8;
    private static final PopulationSettings SMALL =
            PopulationSettings.defaults().withSeed(7).withPatients(400);
    private static final PopulationSettings MEDIUM =
            PopulationSettings.defaults().withSeed(11).withPatients(4000);
    private static final FleetDataset MEDIUM_FLEET = FleetDataset.generate(MEDIUM, PACS);

    @Test
    void theSameSeedAndSettingsGiveTheSameFleetAndAnotherSeedAnotherOne() {
        List<String> first = fingerprint(FleetDataset.generate(SMALL, PACS));
        List<String> again = fingerprint(FleetDataset.generate(SMALL, PACS));
        List<String> otherSeed = fingerprint(FleetDataset.generate(SMALL.withSeed(8), PACS));

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void aLargerPopulationExtendsASmallerOnePatientByPatient() {
        List<String> small = fingerprint(FleetDataset.generate(SMALL.withPatients(200), PACS));
        List<String> large = fingerprint(FleetDataset.generate(SMALL, PACS));

        assertThat(large.subList(0, small.size())).isEqualTo(small);
        assertThat(large).hasSizeGreaterThan(small.size());
    }

    @Test
    void seedSevenStartsWithAKoreanPatientOfHospBWhoseFirstStudyIsAKneeRadiographOnPacsH() {
        FleetDataset fleet = FleetDataset.generate(SMALL, PACS);
        PatientRecord first = fleet.patients().get(0);
        StudyRecord study = first.studies().get(0);

        assertThat(first.patientId()).isEqualTo("7613788");
        assertThat(first.issuerOfPatientId()).isEqualTo("HOSP_B");
        assertThat(first.patientName()).isEqualTo("Park^Jiyoung=朴^智英=박^지영");
        assertThat(first.patientBirthDate()).isEqualTo("20020304");
        assertThat(first.patientSex()).isEqualTo("F");
        assertThat(first.homePacs()).isEqualTo(7);
        assertThat(first.studies()).hasSize(4);
        assertThat(study.studyInstanceUid()).isEqualTo("2.25.8487496260684472326500756346961395712");
        assertThat(study.studyDate()).isEqualTo("20121113");
        assertThat(study.studyTime()).isEqualTo("193722");
        assertThat(study.accessionNumber()).isEqualTo("A466775714");
        assertThat(study.studyDescription()).isEqualTo("KNEE RIGHT 3 VIEWS");
        assertThat(study.modalitiesInStudy()).containsExactly("DX");
        assertThat(study.numberOfInstances()).isEqualTo(3);
        assertThat(study.copies()).extracting(StudyCopy::pacs).containsExactly(7);
    }

    @Test
    void aReplicatedShareOfStudiesHasTwoOrThreeCopiesOnDistinctPacs() {
        int replicated = 0;
        int threeCopies = 0;
        for (StudyRecord s : MEDIUM_FLEET.studies()) {
            assertThat(s.copies()).hasSizeBetween(1, 3);
            assertThat(s.copies().get(0).isPrimary()).isTrue();
            assertThat(s.copies().stream().filter(StudyCopy::isPrimary)).hasSize(1);
            assertThat(s.copies().stream().map(StudyCopy::pacs).distinct()).hasSameSizeAs(s.copies());
            for (StudyCopy c : s.copies()) {
                assertThat(s.copyOn(c.pacs())).isSameAs(c);
            }
            if (s.copies().size() > 1) {
                replicated++;
                threeCopies += s.copies().size() == 3 ? 1 : 0;
            }
        }
        int studies = MEDIUM_FLEET.studies().size();
        assertShare(replicated, studies, MEDIUM.replicatedStudyShare());
        assertShare(threeCopies, replicated, MEDIUM.thirdCopyShare());
    }

    @Test
    void primaryCopiesAreCompleteAndAnIncompleteShareOfReplicasLacksSeriesOrImages() {
        int eligibleReplicas = 0;
        int incomplete = 0;
        int lackingSeries = 0;
        int withoutDescriptions = 0;
        int replicas = 0;
        for (StudyRecord s : MEDIUM_FLEET.studies()) {
            for (StudyCopy c : s.copies()) {
                if (c.isPrimary()) {
                    assertThat(c.isComplete()).isTrue();
                    assertThat(c.numberOfSeries()).isEqualTo(s.series().size());
                    assertThat(c.studyDescription()).isEqualTo(s.studyDescription());
                    continue;
                }
                replicas++;
                withoutDescriptions += c.isWithoutDescriptions() ? 1 : 0;
                if (c.isWithoutDescriptions()) {
                    assertThat(c.studyDescription()).isNull();
                    assertThat(c.referringPhysicianName()).isNull();
                }
                assertThat(c.numberOfSeries()).isBetween(1, s.series().size());
                assertThat(c.numberOfInstances()).isBetween(1, s.numberOfInstances());
                if (s.numberOfInstances() > 1) {
                    eligibleReplicas++;
                    if (!c.isComplete()) {
                        incomplete++;
                        assertThat(c.numberOfInstances()).isLessThan(s.numberOfInstances());
                        lackingSeries += c.numberOfSeries() < s.series().size() ? 1 : 0;
                    }
                } else {
                    assertThat(c.isComplete()).isTrue();
                }
            }
        }
        assertShare(incomplete, eligibleReplicas, MEDIUM.incompleteReplicaShare());
        assertShare(withoutDescriptions, replicas, MEDIUM.replicaWithoutDescriptionsShare());
        assertThat(lackingSeries).isPositive().isLessThan(incomplete);
    }

    @Test
    void aShareOfPatientsReusesThePatientIdOfAnotherIssuersPatientAndBothShareAHomePacs() {
        int reusing = 0;
        Set<String> idAndIssuer = new HashSet<>();
        for (PatientRecord p : MEDIUM_FLEET.patients()) {
            assertThat(idAndIssuer.add(p.patientId() + "|" + p.issuerOfPatientId()))
                    .isTrue();
            assertThat(FleetDataset.ISSUERS).contains(p.issuerOfPatientId());
            assertThat(p.patientId()).matches("[1-9][0-9]{6}");
            PatientRecord other = p.sharesPatientIdWith();
            if (other == null) {
                continue;
            }
            reusing++;
            assertThat(other.index()).isLessThan(p.index());
            assertThat(other.patientId()).isEqualTo(p.patientId());
            assertThat(other.issuerOfPatientId()).isNotEqualTo(p.issuerOfPatientId());
            assertThat(other.patientName()).isNotNull();
            assertThat(other.sharesPatientIdWith()).isNull();
            assertThat(MEDIUM_FLEET.view(p.homePacs()).patientsWithId(p.patientId()))
                    .extracting(PacsPatient::issuerOfPatientId)
                    .contains(p.issuerOfPatientId(), other.issuerOfPatientId());
        }
        assertShare(reusing, MEDIUM_FLEET.patients().size(), MEDIUM.reusedPatientIdShare());
    }

    @Test
    void everyPatientHasAStudyAcquiredAtTheirHomePacsAndAForeignShareOfTheOthersIsAcquiredElsewhere() {
        int foreign = 0;
        for (PatientRecord p : MEDIUM_FLEET.patients()) {
            assertThat(p.studies())
                    .anySatisfy(s -> assertThat(s.copies().get(0).pacs()).isEqualTo(p.homePacs()));
            for (StudyRecord s : p.studies()) {
                foreign += s.copies().get(0).pacs() != p.homePacs() ? 1 : 0;
            }
        }
        int laterStudies =
                MEDIUM_FLEET.studies().size() - MEDIUM_FLEET.patients().size();
        assertShare(foreign, laterStudies, MEDIUM.foreignStudyShare());
    }

    @Test
    void anUndatedShareOfStudiesHasNoStudyOrSeriesDateOrTime() {
        int undated = 0;
        for (StudyRecord s : MEDIUM_FLEET.studies()) {
            if (s.isDated()) {
                assertThat(s.studyDate()).matches("20(1[2-9]|2[0-5])[0-9]{4}");
                assertThat(s.studyTime()).matches("(0[7-9]|1[0-9]|20)[0-5][0-9][0-5][0-9]");
                continue;
            }
            undated++;
            assertThat(s.studyDate()).isNull();
            assertThat(s.studyTime()).isNull();
            assertThat(s.series()).allSatisfy(series -> {
                assertThat(series.seriesDate()).isNull();
                assertThat(series.seriesTime()).isNull();
            });
        }
        assertShare(undated, MEDIUM_FLEET.studies().size(), MEDIUM.undatedStudyShare());
    }

    @Test
    void aConflictingShareOfReplicatedStudiesHasOneReplicaFiledUnderATemporaryPatientId() {
        int replicated = 0;
        int conflicting = 0;
        for (StudyRecord s : MEDIUM_FLEET.studies()) {
            if (s.copies().size() < 2) {
                assertThat(s.copies().get(0).isConflicting()).isFalse();
                continue;
            }
            replicated++;
            List<StudyCopy> conflicts =
                    s.copies().stream().filter(StudyCopy::isConflicting).toList();
            if (conflicts.isEmpty()) {
                assertThat(s.copies())
                        .allSatisfy(c ->
                                assertThat(c.patientId()).isEqualTo(s.patient().patientId()));
                continue;
            }
            conflicting++;
            assertThat(conflicts).hasSize(1);
            StudyCopy c = conflicts.get(0);
            assertThat(c.isPrimary()).isFalse();
            assertThat(c.patientId()).matches("TMP[1-9][0-9]{6}");
            assertThat(c.holder().patientId()).isEqualTo(c.patientId());
            assertThat(c.holder().studies()).containsExactly(c);
            assertThat(MEDIUM_FLEET.view(c.pacs()).patientsWithId(c.patientId()))
                    .containsExactly(c.holder());
        }
        assertShare(conflicting, replicated, MEDIUM.conflictingCopyShare());
        assertThat(conflicting).isPositive();
    }

    @Test
    void studyTypesOccurWithTheirWeightsAndPetStudiesCarryTheirCtSeries() {
        Map<StudyType, Integer> counts = new EnumMap<>(StudyType.class);
        for (StudyRecord s : MEDIUM_FLEET.studies()) {
            counts.merge(s.type(), 1, Integer::sum);
            switch (s.type()) {
                case PT -> assertThat(s.modalitiesInStudy()).containsExactly("CT", "PT");
                case MG ->
                    assertThat(s.series())
                            .extracting(SeriesRecord::seriesDescription)
                            .containsExactly("L CC", "R CC", "L MLO", "R MLO");
                case CT -> assertThat(s.modalitiesInStudy()).containsAnyOf("CT").isSubsetOf("CT", "SR");
                default -> assertThat(s.modalitiesInStudy()).contains(s.type().name());
            }
        }
        for (StudyType t : StudyType.values()) {
            assertShare(counts.getOrDefault(t, 0), MEDIUM_FLEET.studies().size(), t.expectedShare());
        }
    }

    @Test
    void patientNamesComeFromManyScriptsWithIdeographicAndPhoneticGroupsForEastAsianNames() {
        Map<String, Integer> byScript = new HashMap<>();
        for (PatientRecord p : MEDIUM_FLEET.patients()) {
            String name = p.patientName();
            String script = name.contains("=")
                    ? name.split("=").length == 3 ? "three groups" : "two groups"
                    : name.chars().allMatch(c -> c < 0x80) ? "ascii" : "non-ascii one group";
            byScript.merge(script, 1, Integer::sum);
            assertThat(p.patientSex()).isIn("M", "F", "O");
            assertThat(name).matches("[^=^]+\\^[^=^]+(=[^=^]+\\^[^=^]+){0,2}");
        }
        assertThat(byScript).containsOnlyKeys("ascii", "non-ascii one group", "two groups", "three groups");
        assertThat(MEDIUM_FLEET.patients())
                .extracting(PatientRecord::patientName)
                .contains("Yamada^Tarou=山田^太郎=やまだ^たろう", "Müller^Jürgen", "Иванова^Ольга");
    }

    @Test
    void uidsAreVersion8UuidUidsThatNameTheirEntityAndNothingElse() {
        FleetDataset small = FleetDataset.generate(SMALL, PACS);
        FleetDataset otherSeed = FleetDataset.generate(SMALL.withSeed(8), PACS);
        Set<String> uids = new HashSet<>();
        for (StudyRecord s : small.studies()) {
            String uid = s.studyInstanceUid();
            assertThat(uid).matches("2\\.25\\.[1-9][0-9]{0,38}").hasSizeLessThanOrEqualTo(64);
            BigInteger value = new BigInteger(uid.substring(5));
            assertThat(value.shiftRight(76).intValue() & 0xF).as("UUID version").isEqualTo(8);
            assertThat(value.shiftRight(62).intValue() & 0b11)
                    .as("UUID variant")
                    .isEqualTo(0b10);
            assertThat(small.studyByUid(uid)).isSameAs(s);
            assertThat(otherSeed.studyByUid(uid)).isNull();
            assertThat(small.seriesByUid(uid)).isNull();
            for (SeriesRecord series : s.series()) {
                assertThat(small.seriesByUid(series.seriesInstanceUid())).isSameAs(series);
                String last = series.sopInstanceUid(series.numberOfInstances());
                assertThat(small.instanceByUid(last)).isEqualTo(new InstanceRef(series, series.numberOfInstances()));
                assertThat(uids.add(series.seriesInstanceUid())).isTrue();
                assertThat(uids.add(last)).isTrue();
            }
            assertThat(uids.add(uid)).isTrue();
        }
        assertThat(small.studyByUid("1.2.3")).isNull();
        assertThat(small.studyByUid("2.25.0123")).isNull();
        assertThat(small.instanceByUid(small.series().get(0).seriesInstanceUid()))
                .isNull();
    }

    @Test
    void enterpriseScaleFleetOf30000PatientsOn8PacsBuilds() {
        long start = System.nanoTime();
        FleetDataset fleet = FleetDataset.generate(PopulationSettings.defaults(), PACS);
        long millis = (System.nanoTime() - start) / 1_000_000;

        long copies = fleet.studies().stream().mapToLong(s -> s.copies().size()).sum();
        long instances = fleet.studies().stream()
                .mapToLong(StudyRecord::numberOfInstances)
                .sum();
        System.out.printf(
                "30,000-patient fleet: %d ms, %d studies, %d series, %d copies, %d instances%n",
                millis, fleet.studies().size(), fleet.series().size(), copies, instances);
        assertThat(fleet.patients()).hasSize(30_000);
        assertThat(fleet.studies().size()).isBetween(85_000, 95_000);
        for (PacsView view : fleet.views()) {
            assertThat(view.studies().size()).isBetween(14_000, 18_000);
        }
    }

    /** Asserts that {@code hits} out of {@code trials} is within 4 standard deviations of {@code share}. */
    private static void assertShare(int hits, int trials, double share) {
        double sd = Math.sqrt(share * (1 - share) / trials);
        assertThat((double) hits / trials).isCloseTo(share, within(4 * sd + 1e-9));
    }

    /** Every value of every patient, study and copy, in generation order. */
    private static List<String> fingerprint(FleetDataset fleet) {
        List<String> lines = new ArrayList<>();
        for (PatientRecord p : fleet.patients()) {
            lines.add(String.join(
                    "|",
                    p.patientId(),
                    p.issuerOfPatientId(),
                    p.patientName(),
                    p.patientBirthDate(),
                    p.patientSex(),
                    Integer.toString(p.homePacs())));
            for (StudyRecord s : p.studies()) {
                StringBuilder line = new StringBuilder()
                        .append(s.studyInstanceUid())
                        .append('|')
                        .append(s.studyDate())
                        .append('|')
                        .append(s.studyTime())
                        .append('|')
                        .append(s.accessionNumber())
                        .append('|')
                        .append(s.studyDescription())
                        .append('|')
                        .append(s.referringPhysicianName());
                for (SeriesRecord series : s.series()) {
                    line.append('|')
                            .append(series.seriesInstanceUid())
                            .append(series.kind())
                            .append(series.numberOfInstances());
                }
                for (StudyCopy c : s.copies()) {
                    line.append("|copy ")
                            .append(c.pacs())
                            .append(' ')
                            .append(c.patientId())
                            .append(' ')
                            .append(c.numberOfInstances())
                            .append(' ')
                            .append(c.series().size())
                            .append(' ')
                            .append(c.isWithoutDescriptions());
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }
}
