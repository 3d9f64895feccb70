package io.dicomspanner.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceTaskJsonTest {

    static final SourceTask TASK = new SourceTask(
            "q-1",
            "q-1:7",
            new SourceEndpoint(
                    7,
                    "PACS A",
                    "PACS_A",
                    "pacs-a.example",
                    11112,
                    "SPANNER",
                    false,
                    4,
                    30,
                    List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT),
                    true),
            QueryLevel.STUDY,
            "{}",
            1_800_000_000_000L,
            "spanner.results.c1",
            2);

    static final String JSON =
            "{\"queryId\":\"q-1\",\"taskId\":\"q-1:7\",\"source\":{\"sourceId\":7,\"name\":\"PACS A\","
                    + "\"aeTitle\":\"PACS_A\",\"host\":\"pacs-a.example\",\"port\":11112,\"callingAeTitle\":\"SPANNER\","
                    + "\"tls\":false,\"tlsVerifyHostname\":true,\"maxAssociations\":4,\"queryTimeoutSeconds\":30,"
                    + "\"informationModels\":[\"STUDY_ROOT\",\"PATIENT_ROOT\"],\"relationalQueries\":true,\"unmatchedKeys\":[]},"
                    + "\"level\":\"STUDY\",\"identifier\":\"{}\",\"deadlineEpochMillis\":1800000000000,"
                    + "\"replyTo\":\"spanner.results.c1\",\"retryAttempts\":2}";

    @Test
    void informationModelsTravelByConstantName() {
        assertThat(MessageCodec.instance().writeString(TASK)).isEqualTo(JSON);
    }

    @Test
    void aTaskReadsBackWithItsModelsInOrder() {
        SourceTask read = MessageCodec.instance().read(JSON, SourceTask.class);

        assertThat(read).isEqualTo(TASK);
        assertThat(read.source().informationModels())
                .containsExactly(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT);
    }

    @Test
    void aTaskWithoutUnmatchedKeysReadsAsASourceOfWhichNoneIsKnown() {
        String withoutUnmatchedKeys = JSON.replace(",\"unmatchedKeys\":[]", "");

        SourceTask read = MessageCodec.instance().read(withoutUnmatchedKeys, SourceTask.class);

        assertThat(read).isEqualTo(TASK);
        assertThat(read.source().unmatchedKeys()).isEmpty();
    }

    @Test
    void aTaskWithoutTheHostNameCheckReadsAsASourceWhoseHostNameIsChecked() {
        String withoutTheCheck = JSON.replace(",\"tlsVerifyHostname\":true", "");

        SourceTask read = MessageCodec.instance().read(withoutTheCheck, SourceTask.class);

        assertThat(read).isEqualTo(TASK);
        assertThat(read.source().tlsVerifyHostname()).isTrue();
    }
}
