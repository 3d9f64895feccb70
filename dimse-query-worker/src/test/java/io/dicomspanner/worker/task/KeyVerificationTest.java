package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The verification of an ignored ModalitiesInStudy through the studies' series, without a PACS. */
class KeyVerificationTest {

    static final FindOutcome SUCCESS = new FindOutcome(Status.SUCCESS, null, 0, false);

    /** The series of each study, by StudyInstanceUID; the studies asked for, in order. */
    final Map<String, List<String>> seriesModalities = Map.of(
            "1", List.of("CT"),
            "2", List.of("MR", "CT"),
            "3", List.of("US"),
            "4", List.of(),
            "5", List.of("", "US"),
            "6", List.of("", "CT"));

    final List<String> asked = new ArrayList<>();

    CompletableFuture<FindOutcome> series(Attributes study, java.util.function.Consumer<Attributes> sink) {
        String uid = study.getString(Tag.STUDY_INSTANCE_UID);
        synchronized (asked) {
            asked.add(uid);
        }
        for (String modality : seriesModalities.get(uid)) {
            sink.accept(new Attributes().setString(Tag.MODALITY, VR.CS, modality));
        }
        return CompletableFuture.completedFuture(SUCCESS);
    }

    static Attributes identifier(String... modalities) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, modalities);
    }

    static List<Attributes> studies(String... uids) {
        List<Attributes> list = new ArrayList<>();
        for (String uid : uids) {
            list.add(new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid));
        }
        return list;
    }

    KeyVerification verification(int maxSubqueries, String... modalities) {
        IgnoredKeys keys = IgnoredKeys.of(List.of("ModalitiesInStudy"), identifier(modalities));
        return new KeyVerification(keys, true, maxSubqueries, this::series);
    }

    static List<String> uidsAndModalities(List<Attributes> relayed) {
        return relayed.stream()
                .map(a -> a.getString(Tag.STUDY_INSTANCE_UID) + ":"
                        + String.join(
                                "\\",
                                a.contains(Tag.MODALITIES_IN_STUDY)
                                        ? a.getStrings(Tag.MODALITIES_IN_STUDY)
                                        : new String[0]))
                .toList();
    }

    @Test
    void studiesAreKeptByTheirSeriesModalitiesInResultOrderAndUnknownOnesReported() {
        KeyVerification v = verification(10, "CT");
        List<Attributes> relayed = new ArrayList<>();

        FindOutcome outcome = v.verifyStudies(studies("3", "1", "2", "4", "5", "6"), new FindFanOut(2), relayed::add)
                .join();

        assertThat(outcome.isSuccess()).isTrue();
        assertThat(asked).containsExactlyInAnyOrder("3", "1", "2", "4", "5", "6");
        // 3 is US only, 4 has no series: dropped; 5 has a series without Modality and no CT: kept, unverified
        assertThat(uidsAndModalities(relayed)).containsExactly("1:CT", "2:CT\\MR", "5:US", "6:CT");
        assertThat(v.dropped()).isEqualTo(2);
        assertThat(v.unverifiedKeys()).containsExactly("ModalitiesInStudy");
    }

    @Test
    void wildcardsAndSeveralValuesFollowTheMatchingRules() {
        KeyVerification v = verification(10, "U?", "MR");
        List<Attributes> relayed = new ArrayList<>();

        v.verifyStudies(studies("1", "2", "3"), new FindFanOut(4), relayed::add).join();

        assertThat(uidsAndModalities(relayed)).containsExactly("2:CT\\MR", "3:US");
        assertThat(v.unverifiedKeys()).isEmpty();
    }

    @Test
    void withNoSubqueriesAllowedEveryStudyIsKeptUnverifiedWithoutAsking() {
        KeyVerification v = verification(0, "CT");
        List<Attributes> relayed = new ArrayList<>();

        FindOutcome outcome = v.verifyStudies(studies("3", "1"), new FindFanOut(2), relayed::add)
                .join();

        assertThat(outcome.isSuccess()).isTrue();
        assertThat(asked).isEmpty();
        assertThat(uidsAndModalities(relayed)).containsExactly("3:", "1:");
        assertThat(v.unverifiedKeys()).containsExactly("ModalitiesInStudy");
    }

    /** The relational series queries asked, in order. */
    final List<Attributes> askedByModality = new ArrayList<>();

    /** Answers a series query by Modality from {@link #seriesModalities}, as a relational PACS would. */
    CompletableFuture<FindOutcome> seriesByModality(Attributes keys, java.util.function.Consumer<Attributes> sink) {
        synchronized (askedByModality) {
            askedByModality.add(keys);
        }
        String wanted = keys.getString(Tag.MODALITY);
        seriesModalities.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> e.getValue().stream()
                        .filter(wanted::equals)
                        .forEach(m -> sink.accept(new Attributes()
                                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, e.getKey())
                                .setString(Tag.MODALITY, VR.CS, m))));
        return CompletableFuture.completedFuture(SUCCESS);
    }

    KeyVerification relationalVerification(int maxSubqueries, Attributes identifier) {
        IgnoredKeys keys = IgnoredKeys.of(List.of("ModalitiesInStudy"), identifier);
        return new KeyVerification(keys, true, maxSubqueries, this::series, identifier, this::seriesByModality);
    }

    static Attributes seriesQuery(String modality) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.MODALITY, VR.CS, modality)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
    }

    @Test
    void withFewerValuesThanStudiesOneSeriesQueryPerValueVerifiesEveryStudyAndListsOnlyTheRequestedModalities() {
        Attributes identifier = identifier("CT", "US")
                .setString(Tag.PATIENT_ID, VR.LO, "P1")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "*")
                .setNull(Tag.ACCESSION_NUMBER, VR.SH);
        KeyVerification v = relationalVerification(2, identifier);
        List<Attributes> relayed = new ArrayList<>();

        FindOutcome outcome = v.verifyStudies(studies("3", "1", "2", "4", "5", "6"), new FindFanOut(2), relayed::add)
                .join();

        assertThat(outcome.isSuccess()).isTrue();
        assertThat(v.strategy()).isEqualTo(KeyVerification.Strategy.PER_MODALITY);
        assertThat(asked).isEmpty();
        assertThat(askedByModality).containsExactlyInAnyOrder(seriesQuery("CT"), seriesQuery("US"));
        // 2 is MR and CT: only CT was asked; 4 has no series; the series without Modality of 5 and 6 are not found
        assertThat(uidsAndModalities(relayed)).containsExactly("3:US", "1:CT", "2:CT", "5:US", "6:CT");
        assertThat(v.dropped()).isEqualTo(1);
        assertThat(v.unverifiedKeys()).isEmpty();
    }

    @Test
    void withAsManyValuesAsStudiesOrMoreValuesThanTheBoundEachStudyIsAskedForAlone() {
        KeyVerification tie = relationalVerification(10, identifier("CT", "MR"));
        KeyVerification pastTheBound = relationalVerification(1, identifier("CT", "MR"));
        List<Attributes> relayed = new ArrayList<>();

        tie.verifyStudies(studies("1", "3"), new FindFanOut(2), relayed::add).join();
        pastTheBound
                .verifyStudies(studies("2", "3", "4"), new FindFanOut(2), relayed::add)
                .join();

        assertThat(tie.strategy()).isEqualTo(KeyVerification.Strategy.PER_STUDY);
        assertThat(pastTheBound.strategy()).isEqualTo(KeyVerification.Strategy.PER_STUDY);
        assertThat(askedByModality).isEmpty();
        assertThat(asked).containsExactlyInAnyOrder("1", "3", "2");
        assertThat(uidsAndModalities(relayed)).containsExactly("1:CT", "2:CT\\MR", "3:", "4:");
        assertThat(pastTheBound.unverifiedKeys()).containsExactly("ModalitiesInStudy");
    }

    @Test
    void aSeriesQueryThatFailsEndsTheVerificationWithItsOutcomeAndRelaysNothing() {
        IgnoredKeys keys = IgnoredKeys.of(List.of("ModalitiesInStudy"), identifier("CT"));
        FindOutcome refused = new FindOutcome(Status.OUT_OF_RESOURCES, null, 0, false);
        KeyVerification v =
                new KeyVerification(keys, true, 10, (study, sink) -> CompletableFuture.completedFuture(refused));
        List<Attributes> relayed = new ArrayList<>();

        FindOutcome outcome = v.verifyStudies(studies("1", "2"), new FindFanOut(1), relayed::add)
                .join();

        assertThat(outcome).isEqualTo(refused);
        assertThat(relayed).isEmpty();
    }
}
