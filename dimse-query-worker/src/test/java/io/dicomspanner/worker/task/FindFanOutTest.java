package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.worker.find.CFindFailedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Several C-FINDs side by side: in item order to the sink, never more than the limit at once, and how they end. */
class FindFanOutTest {

    /** C-FINDs that deliver matches and end when the test says so. */
    static final class HeldFinds implements FindFanOut.Find<String> {
        final List<String> started = new ArrayList<>();
        private final Map<String, CompletableFuture<FindOutcome>> running = new HashMap<>();
        private final Map<String, Consumer<Attributes>> matches = new HashMap<>();
        int mostAtOnce;

        @Override
        public synchronized CompletableFuture<FindOutcome> run(String item, Consumer<Attributes> sink) {
            CompletableFuture<FindOutcome> end = new CompletableFuture<>();
            started.add(item);
            running.put(item, end);
            matches.put(item, sink);
            mostAtOnce = Math.max(mostAtOnce, running.size());
            return end;
        }

        void match(String item, String studyUid) {
            matches.get(item).accept(study(studyUid));
        }

        void end(String item, FindOutcome outcome) {
            CompletableFuture<FindOutcome> end;
            synchronized (this) {
                end = running.remove(item);
            }
            end.complete(outcome);
        }

        void fail(String item, RuntimeException e) {
            CompletableFuture<FindOutcome> end;
            synchronized (this) {
                end = running.remove(item);
            }
            end.completeExceptionally(e);
        }
    }

    final HeldFinds finds = new HeldFinds();
    final List<String> relayed = new ArrayList<>();

    static Attributes study(String uid) {
        return new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
    }

    static FindOutcome success(int matches) {
        return new FindOutcome(Status.SUCCESS, null, matches, false);
    }

    Consumer<Attributes> sink() {
        return match -> relayed.add(match.getString(Tag.STUDY_INSTANCE_UID));
    }

    @Test
    void theFirstFindsMatchesPassAtOnceAndEachLaterOnesOnceEveryOneBeforeItHasEnded() {
        CompletableFuture<FindOutcome> done = new FindFanOut(3).run(List.of("a", "b", "c"), sink(), finds);

        finds.match("a", "a.1");
        finds.match("c", "c.1");
        finds.match("b", "b.1");
        assertThat(relayed).containsExactly("a.1");

        finds.end("c", success(1));
        assertThat(relayed).containsExactly("a.1");

        finds.end("a", success(1));
        assertThat(relayed).containsExactly("a.1", "b.1");

        finds.match("b", "b.2");
        assertThat(relayed).containsExactly("a.1", "b.1", "b.2");
        assertThat(done).isNotDone();

        finds.end("b", success(2));
        assertThat(relayed).containsExactly("a.1", "b.1", "b.2", "c.1");
        assertThat(done).isCompletedWithValue(success(4));
    }

    @Test
    void neverRunsMoreThanTheLimitAtOnceAndStartsTheNextItemAsOneEnds() {
        CompletableFuture<FindOutcome> done = new FindFanOut(2).run(List.of("a", "b", "c", "d", "e"), sink(), finds);
        assertThat(finds.started).containsExactly("a", "b");

        finds.end("b", success(0));
        assertThat(finds.started).containsExactly("a", "b", "c");

        finds.end("a", success(0));
        finds.end("c", success(0));
        assertThat(finds.started).containsExactly("a", "b", "c", "d", "e");

        finds.end("e", success(0));
        finds.end("d", success(0));
        assertThat(finds.mostAtOnce).isEqualTo(2);
        assertThat(done).isCompletedWithValue(success(0));
    }

    @Test
    void aFindEndingWithAFailureStatusStartsNoFurtherOneAndIsTheOutcomeOnceTheRunningOnesHaveEnded() {
        FindOutcome outOfResources = new FindOutcome(Status.OUT_OF_RESOURCES, "too many matches", 0, false);
        CompletableFuture<FindOutcome> done = new FindFanOut(2).run(List.of("a", "b", "c", "d"), sink(), finds);
        finds.match("a", "a.1");

        finds.end("a", outOfResources);
        assertThat(finds.started).containsExactly("a", "b");
        assertThat(done).isNotDone();

        finds.match("b", "b.1");
        finds.end("b", success(1));

        assertThat(finds.started).containsExactly("a", "b");
        assertThat(done).isCompletedWithValue(outOfResources);
        assertThat(relayed).containsExactly("a.1", "b.1");
    }

    @Test
    void aCancelledFindStartsNoFurtherOneAndTheFanOutEndsCancelled() {
        FindOutcome cancelled = new FindOutcome(Status.CANCEL, null, 1, true);
        CompletableFuture<FindOutcome> done = new FindFanOut(1).run(List.of("a", "b", "c"), sink(), finds);
        finds.end("a", success(0));
        finds.match("b", "b.1");

        finds.end("b", cancelled);

        assertThat(finds.started).containsExactly("a", "b");
        assertThat(done).isCompletedWithValue(cancelled);
        assertThat(relayed).containsExactly("b.1");
    }

    @Test
    void aFindFailingWithoutFinalResponseFailsTheFanOutOnceTheOtherLanesEndAndItsLaterMatchesAreNotRelayed() {
        CFindFailedException broken =
                new CFindFailedException(SourceOutcome.CONNECTION_FAILED, "C-FIND broke off", true, null);
        CompletableFuture<FindOutcome> done = new FindFanOut(2).run(List.of("a", "b", "c"), sink(), finds);
        finds.match("a", "a.1");
        finds.match("b", "b.1");

        finds.fail("a", broken);
        assertThat(done).isNotDone();
        // the other lane runs on to the end of the items
        finds.end("b", success(1));
        finds.match("c", "c.1");
        finds.end("c", success(1));

        assertThat(finds.started).containsExactly("a", "b", "c");
        assertThatThrownBy(done::join)
                .isInstanceOf(CompletionException.class)
                .cause()
                .isSameAs(broken);
        assertThat(relayed).containsExactly("a.1");
    }

    @Test
    void aSingleItemRunsOnTheSinkItselfAndItsOutcomeIsTheFanOuts() {
        FindOutcome warning = new FindOutcome(0xB000, "some keys not supported", 1, false);
        CompletableFuture<FindOutcome> done = new FindFanOut(2).run(List.of("a"), sink(), finds);

        finds.match("a", "a.1");
        assertThat(relayed).containsExactly("a.1");
        finds.end("a", warning);

        assertThat(done).isCompletedWithValue(warning);
    }

    @Test
    void noItemsIsASuccessWithoutMatches() {
        CompletableFuture<FindOutcome> done = new FindFanOut(2).run(List.of(), sink(), finds);

        assertThat(done).isCompletedWithValue(success(0));
        assertThat(finds.started).isEmpty();
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> new FindFanOut(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a fan-out runs at least one C-FIND at once, not 0");
    }
}
