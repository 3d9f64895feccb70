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
