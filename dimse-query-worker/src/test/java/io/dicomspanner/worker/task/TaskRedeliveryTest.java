package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.common.messaging.SourceTask;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.TestPacs;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Ack after publish: a worker that stops mid-task has not acked it, RabbitMQ redelivers it, and the second run repeats
 * the first run's batches under the same task id and sequence numbers, so the coordinator's duplicate check by (task,
 * sequence) leaves every match exactly once.
 */
class TaskRedeliveryTest extends WorkerTestSupport {

    @Autowired
    DirectMessageListenerContainer taskListenerContainer;

    @Test
    void aTaskLeftUnackedByAStoppedListenerIsRedeliveredAndRepeatsTheSameBatches() throws Exception {
        try (TestPacs pacs = new TestPacs(Set.copyOf(SopClasses.QUERY_FIND), true)) {
            List<Attributes> expected = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                Attributes study = new Attributes()
                        .setString(Tag.PATIENT_ID, VR.LO, "P1")
                        .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3." + i);
                pacs.add(QueryLevel.STUDY, study);
                expected.add(Attributes.copyOf(study).setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY"));
            }
            pacs.pauseAfter(3);
            Attributes query = new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                    .setString(Tag.PATIENT_ID, VR.LO, "P1")
                    .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
            SourceTask task = task(studyRoot(newSourceId(), pacs.port()), QueryLevel.STUDY, query, inSeconds(60), 0);
            publish(task);

            List<SourceResult> all = new ArrayList<>();
            SourceResult firstRunBatch = nextResult();
            all.add(firstRunBatch);
            assertThat(firstRunBatch.sequence()).isZero();
            assertThat(firstRunBatch.outcome()).isEqualTo(SourceOutcome.RUNNING);

            // the worker "dies": its channel closes with the task unacked while the C-FIND still runs
            taskListenerContainer.setShutdownTimeout(200);
            try {
                taskListenerContainer.stop();
                pacs.mode(TestPacs.Mode.ANSWER);
                taskListenerContainer.start();
                List<SourceResult> secondRun = resultsUntilFinal();
                all.addAll(secondRun);
                assertThat(secondRun).extracting(SourceResult::sequence).containsExactly(0, 1, 2);
                assertThat(secondRun.get(2).outcome()).isEqualTo(SourceOutcome.SUCCESS);
            } finally {
                taskListenerContainer.setShutdownTimeout(5000);
            }
            pacs.release();
            // whatever the first run still sends after its C-FIND resumes (its ack then fails on the closed channel)
            for (Message m = rabbit.receive(replyQueue, 3000); m != null; m = rabbit.receive(replyQueue, 3000)) {
                m.getMessageProperties().setInferredArgumentType(SourceResult.class);
                all.add((SourceResult) converter.fromMessage(m));
            }

            assertThat(pacs.requests()).as("the task ran twice").hasSize(2);
            assertThat(all).allSatisfy(r -> assertThat(r.taskId()).isEqualTo(task.taskId()));
            Map<Integer, SourceResult> firstSight = new LinkedHashMap<>();
            for (SourceResult r : all) {
                SourceResult earlier = firstSight.putIfAbsent(r.sequence(), r);
                if (earlier != null) {
                    assertThat(matches(List.of(r)))
                            .as("copies of batch " + r.sequence())
                            .isEqualTo(matches(List.of(earlier)));
                }
            }
            List<SourceResult> deduplicated = new ArrayList<>(firstSight.values());
            deduplicated.sort((a, b) -> Integer.compare(a.sequence(), b.sequence()));
            assertThat(matches(deduplicated)).containsExactlyElementsOf(expected);
        }
    }
}
