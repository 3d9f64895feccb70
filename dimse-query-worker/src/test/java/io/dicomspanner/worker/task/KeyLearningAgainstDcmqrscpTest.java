package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.capability.KeyObservation;
import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.capability.ObservationRecorder;
import io.dicomspanner.worker.testing.TestDatabase;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * dcmtk's dcmqrscp, not declared to ignore ModalitiesInStudy: it answers every study to a ModalitiesInStudy key and
 * returns no value for it, so after enough records without one the worker records that the key must be verified.
 */
class KeyLearningAgainstDcmqrscpTest extends WorkerTestSupport {

    /** Six studies; dcmqrscp answers all six to any ModalitiesInStudy. */
    static final SyntheticStudies STUDIES = SyntheticStudies.generate(17, 3, 2, 2, 1);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ObservationRecorder recorder;

    static Attributes ctStudies() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    List<KeyObservation> observations(long sourceId) {
        recorder.drained().join();
        return new KeyObservationRows(jdbc).of(sourceId);
    }

    @Test
    void modalitiesInStudyIsRecordedAsNotReturnedOnceTwentyRecordsCameWithoutIt() throws Exception {
        try (DcmqrscpPeer dcmqrscp =
                DcmqrscpPeer.builder().aeTitle("QRSCP").studies(STUDIES).start()) {
            SourceEndpoint source = dcmqrscpSource(dcmqrscp, 4);
            TestDatabase.insertSource(source.sourceId(), dcmqrscp.aeTitle(), dcmqrscp.port(), true);
            try {
                for (int answer = 1; answer <= 3; answer++) {
                    assertThat(matches(successfulRun(source, QueryLevel.STUDY, ctStudies())))
                            .hasSize(6)
                            .noneMatch(m -> m.getString(Tag.MODALITIES_IN_STUDY) != null);
                }
                assertThat(observations(source.sourceId()))
                        .as("18 records without a value")
                        .isEmpty();

                assertThat(matches(successfulRun(source, QueryLevel.STUDY, ctStudies())))
                        .hasSize(6);

                List<KeyObservation> observed = observations(source.sourceId());
                assertThat(observed).hasSize(1);
                assertThat(observed.get(0))
                        .isEqualTo(new KeyObservation(
                                source.sourceId(),
                                "ModalitiesInStudy",
                                null,
                                false,
                                KeyObservation.Origin.LEARNED,
                                observed.get(0).observedAt(),
                                "24 records in 4 answers came back without a value"));
                assertThat(observed.get(0).needsVerification()).isTrue();
            } finally {
                TestDatabase.update("delete from dicom_source where id = ?", source.sourceId());
            }
        }
    }
}
