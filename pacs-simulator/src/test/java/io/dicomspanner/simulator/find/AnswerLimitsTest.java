package io.dicomspanner.simulator.find;

import static io.dicomspanner.simulator.find.SmallFleet.drain;
import static io.dicomspanner.simulator.find.SmallFleet.engine;
import static io.dicomspanner.simulator.find.SmallFleet.plain;
import static io.dicomspanner.simulator.find.SmallFleet.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.config.MaxResultsBehaviour;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerLimitsTest {
    private static final int PACS = 4;
    private static final int CAP = 5;

    @Test
    void aTruncatingPacsSendsTheFirstMatchesUpToItsCapThenFe00LikeOrthanc() {
        FindResponses capped = engine(PACS, plain(PACS).withMaxResults(CAP, MaxResultsBehaviour.TRUNCATE))
                .find(InformationModel.STUDY_ROOT, allStudies());

        List<Attributes> answers = drain(capped);

        List<Attributes> uncapped = drain(engine(PACS).find(InformationModel.STUDY_ROOT, allStudies()));
        assertThat(answers).containsExactlyElementsOf(uncapped.subList(0, CAP));
        assertThat(capped.finalStatus()).isEqualTo(FindStatus.cancelled());
        assertThat(capped.truncated()).isTrue();
    }

    @Test
    void aTruncatingPacsEndsWithSuccessWhenTheMatchesExactlyFillItsCap() {
        int all = view(PACS).studies().size();

        FindResponses exactlyFull = engine(PACS, plain(PACS).withMaxResults(all, MaxResultsBehaviour.TRUNCATE))
                .find(InformationModel.STUDY_ROOT, allStudies());

        assertThat(drain(exactlyFull)).hasSize(all);
        assertThat(exactlyFull.finalStatus()).isEqualTo(FindStatus.success());
        assertThat(exactlyFull.truncated()).isFalse();
    }

    @Test
    void aRefusingPacsAnswersAQueryAboveItsCapWithC000AndNoMatchLikeDcm4cheeArc() {
        FindResponses refused = engine(PACS, plain(PACS).withMaxResults(CAP, MaxResultsBehaviour.REFUSE))
                .find(InformationModel.STUDY_ROOT, allStudies());

        assertThat(refused.hasNext()).isFalse();
        assertThat(refused.finalStatus())
                .isEqualTo(FindStatus.failure(Status.UNABLE_TO_PROCESS, "Request entity too large"));
    }

    @Test
    void aRefusingPacsAnswersAQueryNamingItsStudiesByUidWhateverTheirNumber() {
        String[] uids = view(PACS).studies().stream()
                .limit(CAP + 2)
                .map(c -> c.study().studyInstanceUid())
                .toArray(String[]::new);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uids);

        FindResponses answered = engine(PACS, plain(PACS).withMaxResults(CAP, MaxResultsBehaviour.REFUSE))
                .find(InformationModel.STUDY_ROOT, query);

        assertThat(drain(answered)).hasSize(CAP + 2);
        assertThat(answered.finalStatus()).isEqualTo(FindStatus.success());
    }

    @Test
    void aCancelStopsTheSearchAndTheFinalStatusIsFe00() {
        FindResponses responses = engine(PACS).find(InformationModel.STUDY_ROOT, allStudies());
        responses.next();
        responses.next();

        responses.cancel();

        assertThat(responses.hasNext()).isFalse();
        assertThat(responses.returned()).isEqualTo(2);
        assertThat(responses.finalStatus()).isEqualTo(FindStatus.cancelled());
        assertThat(responses.truncated()).isFalse();
    }

    @Test
    void theFinalStatusIsNotKnownWhileResponsesRemain() {
        FindResponses responses = engine(PACS).find(InformationModel.STUDY_ROOT, allStudies());

        assertThat(responses.hasNext()).isTrue();
        assertThatThrownBy(responses::finalStatus).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aKeyValueNoMatchingRuleTakesIsRefusedWithC000NamingTheAttribute() {
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.STUDY_DATE, VR.DA, "20241301")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        FindResponses refused = engine(PACS).find(InformationModel.STUDY_ROOT, query);

        assertThat(refused.hasNext()).isFalse();
        assertThat(refused.finalStatus().code()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(refused.finalStatus().offendingElement()).isEqualTo(Tag.STUDY_DATE);
        assertThat(refused.finalStatus().errorComment())
                .startsWith("StudyDate (0008,0020)")
                .doesNotContain("20241301")
                .hasSizeLessThanOrEqualTo(64);
    }

    @Test
    void anIdentifierWithoutQueryRetrieveLevelIsRefusedWithA900() {
        Attributes query = new Attributes().setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        FindResponses refused = engine(PACS).find(InformationModel.STUDY_ROOT, query);

        assertThat(refused.hasNext()).isFalse();
        assertThat(refused.finalStatus().code()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(refused.finalStatus().offendingElement()).isEqualTo(Tag.QUERY_RETRIEVE_LEVEL);
    }

    private static Attributes allStudies() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }
}
