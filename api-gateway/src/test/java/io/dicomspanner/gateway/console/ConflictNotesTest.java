package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryStatus.SourceStatus;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConflictNotesTest {

    private static SourceStatus source(long id, String name) {
        return new SourceStatus(id, name, name.replace(" ", ""), SourceOutcome.SUCCESS, 1, 0, 5L, null, null, null);
    }

    @Test
    void eachConflictingRecordIsNotedByItsUniqueKeyNamingThePacsThatHoldACopy() {
        Map<String, String> notes = ConsoleAnswers.conflictNotes(
                List.of(
                        new ConflictingCopies("1.2.3", List.of("7", "3")),
                        new ConflictingCopies("1.2.4", List.of("3", "9"))),
                List.of(source(3, "PACS A"), source(7, "PACS B"), source(8, "PACS C")));

        assertThat(notes)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "1.2.3", "The copies on PACS B, PACS A disagree on Patient ID",
                        "1.2.4", "The copies on PACS A, source 9 disagree on Patient ID"));
    }

    @Test
    void noConflictsNoNotes() {
        assertThat(ConsoleAnswers.conflictNotes(List.of(), List.of(source(3, "PACS A"))))
                .isEmpty();
    }

    @Test
    void theUniqueKeyIsTheLevelsInstanceUid() {
        Attributes record = new Attributes();
        record.setString(Tag.STUDY_INSTANCE_UID, "1.1");
        record.setString(Tag.SERIES_INSTANCE_UID, "1.1.2");
        record.setString(Tag.SOP_INSTANCE_UID, "1.1.2.3");

        assertThat(ConsoleAnswers.uniqueKey("STUDY", record)).isEqualTo("1.1");
        assertThat(ConsoleAnswers.uniqueKey("SERIES", record)).isEqualTo("1.1.2");
        assertThat(ConsoleAnswers.uniqueKey("IMAGE", record)).isEqualTo("1.1.2.3");
    }

    @Test
    void theConflictsEntryReadsBackAsTheCoordinatorWroteIt() {
        MessageCodec codec = MessageCodec.instance();
        List<ConflictingCopies> written = List.of(new ConflictingCopies("1.2.3", List.of("7", "3")));

        String json = codec.writeString(written);

        assertThat(json).isEqualTo("[{\"uniqueKey\":\"1.2.3\",\"sourceIds\":[\"7\",\"3\"]}]");
        assertThat(List.of(codec.read(json, ConflictingCopies[].class))).isEqualTo(written);
    }
}
