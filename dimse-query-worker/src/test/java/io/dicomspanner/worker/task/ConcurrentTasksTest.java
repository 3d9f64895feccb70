package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tasks of one spanning query, one per source, run at the same time on one worker; so do the tasks of one source,
 * up to {@code tasks-per-source}, none holding a thread while its PACS has not answered. (A listener thread that
 * consumed every source's queue with a per-queue prefetch once took a task from each queue and ran them one after the
 * other, so a spanning query took the sum of its PACS' times instead of the slowest one's.)
 */
class ConcurrentTasksTest extends WorkerTestSupport {

    private final List<TestPacs> fleet = new ArrayList<>();

    @AfterEach
    void stopFleet() {
        fleet.forEach(TestPacs::close);
    }

    @Test
    void theTasksOfOneQueryForThreeSourcesAreAllAtTheirPacsBeforeAnyAnswers() throws Exception {
        List<SourceTask> tasks = new ArrayList<>();
        String queryId = null;
        for (int i = 0; i < 3; i++) {
            TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
            pacs.add(QueryLevel.STUDY, SourceTaskTest.study("P1", "DOE^JANE", "1.2.9." + i));
            // answers nothing until released: a task runs until its PACS answers
            pacs.pauseAfter(0);
            fleet.add(pacs);
            SourceTask task = task(
                    studyRoot(newSourceId(), pacs.port()),
                    QueryLevel.STUDY,
                    SourceTaskTest.studyQuery("P1"),
                    inSeconds(60),
                    0);
            if (queryId == null) {
                queryId = task.queryId();
            }
            tasks.add(new SourceTask(
                    queryId,
                    queryId + "-" + task.source().sourceId(),
                    task.source(),
                    task.level(),
                    task.identifier(),
                    task.deadlineEpochMillis(),
                    task.replyTo(),
                    task.retryAttempts()));
        }
        tasks.forEach(this::publish);

        // every PACS has its C-FIND while none has answered: the three tasks run at once
        for (TestPacs pacs : fleet) {
            assertThat(pacs.awaitFirstRequest(30))
                    .as("C-FIND reached PACS on port " + pacs.port())
                    .isTrue();
        }
        fleet.forEach(TestPacs::release);

        List<SourceResult> finals = new ArrayList<>();
        while (finals.size() < 3) {
            SourceResult r = nextResult();
            if (r.outcome().isFinal()) {
                finals.add(r);
            }
        }
        assertThat(finals).extracting(SourceResult::outcome).containsOnly(SourceOutcome.SUCCESS);
        assertThat(finals)
                .extracting(SourceResult::sourceId)
                .containsExactlyInAnyOrderElementsOf(
                        tasks.stream().map(t -> t.source().sourceId()).toList());
        assertThat(matches(finals))
                .containsExactlyInAnyOrder(
                        SourceTaskTest.studyMatch("P1", "DOE^JANE", "1.2.9.0"),
                        SourceTaskTest.studyMatch("P1", "DOE^JANE", "1.2.9.1"),
                        SourceTaskTest.studyMatch("P1", "DOE^JANE", "1.2.9.2"));
    }

    @Test
    void sixteenTasksOfOneSourceAreAllAtItsPacsAtOnceWithNoThreadWaitingInAnyOfThem() throws Exception {
        TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true);
        fleet.add(pacs);
        pacs.add(QueryLevel.STUDY, SourceTaskTest.study("P1", "DOE^JANE", "1.2.9.9"));
        pacs.pauseAfter(0);
        // 16 associations allowed, and tasks-per-source is 16 by default
        SourceEndpoint source = endpoint(
                newSourceId(),
                pacs.port(),
                List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                true,
                16);
        List<String> taskIds = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            SourceTask task = task(source, QueryLevel.STUDY, SourceTaskTest.studyQuery("P1"), inSeconds(60), 0);
            taskIds.add(task.taskId());
            publish(task);
        }

        long until = System.currentTimeMillis() + 30_000;
        while (pacs.requests().size() < 16) {
            assertThat(System.currentTimeMillis())
                    .as("16 C-FINDs at the PACS at once")
                    .isLessThan(until);
            Thread.sleep(20);
        }
        // 16 tasks in flight, and no thread is inside one of them: a task waits for its PACS holding no thread
        assertThat(Thread.getAllStackTraces().values())
                .noneMatch(stack -> Arrays.stream(stack)
                        .anyMatch(frame -> frame.getClassName().startsWith(TaskRun.class.getName())));
        pacs.release();

        List<SourceResult> finals = new ArrayList<>();
        while (finals.size() < 16) {
            SourceResult r = nextResult();
            if (r.outcome().isFinal()) {
                finals.add(r);
            }
        }
        assertThat(finals).extracting(SourceResult::outcome).containsOnly(SourceOutcome.SUCCESS);
        assertThat(finals).extracting(SourceResult::taskId).containsExactlyInAnyOrderElementsOf(taskIds);
        assertThat(matches(finals)).hasSize(16).containsOnly(SourceTaskTest.studyMatch("P1", "DOE^JANE", "1.2.9.9"));
    }
}
