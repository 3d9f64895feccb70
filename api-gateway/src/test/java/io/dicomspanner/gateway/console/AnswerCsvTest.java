package io.dicomspanner.gateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerCsvTest {

    @Test
    void aStudyTableBecomesCsvWithItsHeadingsPacsAndStudyUid() {
        ConsoleAnswers.Answer answer = new ConsoleAnswers.Answer(
                "studies",
                ConsoleAnswers.STUDY_COLUMNS,
                List.of(new ConsoleAnswers.Row(
                        "1.2.3",
                        null,
                        null,
                        List.of("O\"Brien^Pat", "P1", "1970-01-02", "2020-03-04", "CT, MR", "A1", "-chest", "2", "10"),
                        List.of("PACSA", "PACSB"),
                        null)),
                RowOrder.NONE);

        assertThat(AnswerCsv.of(answer))
                .isEqualTo(
                        "Patient Name,Patient ID,Birth Date,Study Date,Modalities,Accession,Description,# Series,"
                                + "# Instances,PACS,Study Instance UID\r\n"
                                + "\"O\"\"Brien^Pat\",P1,1970-01-02,2020-03-04,\"CT, MR\",A1,'-chest,2,10,PACSA PACSB,1.2.3\r\n");
    }

    @Test
    void anInstanceTableAlsoNamesTheSeriesUid() {
        ConsoleAnswers.Answer answer = new ConsoleAnswers.Answer(
                "instances",
                ConsoleAnswers.INSTANCE_COLUMNS,
                List.of(new ConsoleAnswers.Row(
                        "1.2", "1.2.3", "1.2.3.4", List.of("7", "1.2.3.4", "1.2.840"), List.of(), null)),
                RowOrder.NONE);

        assertThat(AnswerCsv.of(answer))
                .isEqualTo("Instance #,SOP Instance UID,SOP Class UID,PACS,Study Instance UID,Series Instance UID\r\n"
                        + "7,1.2.3.4,1.2.840,,1.2,1.2.3\r\n");
    }
}
