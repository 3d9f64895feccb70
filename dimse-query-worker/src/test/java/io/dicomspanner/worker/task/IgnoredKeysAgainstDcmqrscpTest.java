package io.dicomspanner.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.DcmqrscpPeer;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * dcmtk's dcmqrscp ignores ModalitiesInStudy (and BodyPartExamined): declared so, the worker verifies the key through
 * each study's series and answers exactly the studies a PACS honouring the key would answer.
 */
class IgnoredKeysAgainstDcmqrscpTest extends WorkerTestSupport {

    /** Six studies: CT (2024), MR (2022), CR, US, US, and a PET/CT (2010) whose series are PT and CT. */
    static final SyntheticStudies STUDIES = SyntheticStudies.generate(17, 3, 2, 2, 1);

    static DcmqrscpPeer dcmqrscp;

    @Autowired
    PrometheusMeterRegistry prometheus;

    @BeforeAll
    static void startDcmqrscp() throws Exception {
        assertThat(STUDIES.studies())
                .extracting(SyntheticStudy::modalitiesInStudy, SyntheticStudy::studyDate)
                .containsExactly(
                        tuple(List.of("CT"), "20240528"),
                        tuple(List.of("MR"), "20220201"),
                        tuple(List.of("CR"), "20191231"),
                        tuple(List.of("US"), "20180426"),
                        tuple(List.of("US"), "20150119"),
                        tuple(List.of("CT", "PT"), "20100602"));
        dcmqrscp = DcmqrscpPeer.builder().aeTitle("QRSCP").studies(STUDIES).start();
    }

    @AfterAll
    static void stopDcmqrscp() throws IOException {
        if (dcmqrscp != null) {
            dcmqrscp.close();
        }
    }

    static SourceEndpoint dcmqrscpSource() {
        return dcmqrscpSource(dcmqrscp, 4);
    }

    static Attributes studyQuery(String... modalities) {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setString(Tag.MODALITIES_IN_STUDY, VR.CS, modalities)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    /** StudyInstanceUID and ModalitiesInStudy of the synthetic studies that satisfy {@code which}. */
    static Tuple[] studiesWhere(Predicate<SyntheticStudy> which) {
        return STUDIES.studies().stream()
                .filter(which)
                .map(s -> tuple(s.studyInstanceUid(), s.modalitiesInStudy()))
                .toArray(Tuple[]::new);
    }

    static List<Tuple> uidsAndModalities(List<SourceResult> results) {
        return matches(results).stream()
                .map(m -> tuple(
                        m.getString(Tag.STUDY_INSTANCE_UID),
                        m.contains(Tag.MODALITIES_IN_STUDY)
                                ? List.of(m.getStrings(Tag.MODALITIES_IN_STUDY))
                                : List.of()))
                .toList();
    }

    List<SourceResult> run(SourceEndpoint source, Attributes query) {
        return successfulRun(source, QueryLevel.STUDY, query);
    }

    @Test
    void undeclaredDcmqrscpAnswersEveryStudyToModalitiesInStudyCt() {
        List<SourceResult> results = run(dcmqrscpSource(), studyQuery("CT"));

        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyInAnyOrderElementsOf(dcmqrscp.studyInstanceUids());
        assertThat(matches(results)).noneMatch(m -> m.getString(Tag.MODALITIES_IN_STUDY) != null);
        assertThat(last(results).unverifiedKeys()).isEmpty();
    }

    @Test
    void declaredIgnoredModalitiesInStudyCtKeepsExactlyTheStudiesWithACtSeriesAndFillsTheirModalities() {
        SourceEndpoint source = ignoring(dcmqrscpSource(), "ModalitiesInStudy");

        List<SourceResult> results = run(source, studyQuery("CT"));

        assertThat(uidsAndModalities(results))
                .containsExactlyInAnyOrder(
                        studiesWhere(s -> s.modalitiesInStudy().contains("CT")));
        assertThat(uidsAndModalities(results))
                .extracting(t -> t.toList().get(1))
                .containsExactlyInAnyOrder(List.of("CT"), List.of("CT", "PT"));
        assertThat(last(results).unverifiedKeys()).isEmpty();
        String s = "source=\"" + source.sourceId() + "\"";
        List<String> lines = prometheus.scrape().lines().toList();
        assertThat(lines).contains("spanner_worker_verification_subqueries_total{" + s + "} 6.0");
        assertThat(lines).contains("spanner_worker_verification_dropped_total{" + s + "} 4.0");
        assertThat(lines)
                .noneMatch(l -> l.startsWith("spanner_worker_verification_unverified_keys_total{") && l.contains(s));
    }

    @Test
    void declaredIgnoredModalitiesInStudyCtOrMrKeepsTheStudiesWithEitherModality() {
        List<SourceResult> results = run(ignoring(dcmqrscpSource(), "ModalitiesInStudy"), studyQuery("CT", "MR"));

        assertThat(uidsAndModalities(results))
                .containsExactlyInAnyOrder(
                        studiesWhere(s -> s.modalitiesInStudy().contains("CT")
                                || s.modalitiesInStudy().contains("MR")));
        assertThat(uidsAndModalities(results))
                .extracting(t -> t.toList().get(1))
                .containsExactlyInAnyOrder(List.of("CT"), List.of("MR"), List.of("CT", "PT"));
        assertThat(last(results).unverifiedKeys()).isEmpty();
    }

    @Test
    void declaredIgnoredModalitiesInStudyWithADateRangeAsksOnlyTheStudiesInTheRange() {
        SourceEndpoint source = ignoring(dcmqrscpSource(), "ModalitiesInStudy");
        Attributes query = studyQuery("CT").setString(Tag.STUDY_DATE, VR.DA, "20200101-20251231");

        List<SourceResult> results = run(source, query);

        assertThat(uidsAndModalities(results))
                .containsExactly(tuple(STUDIES.studies().get(0).studyInstanceUid(), List.of("CT")));
        assertThat(matches(results).get(0).getString(Tag.STUDY_DATE)).isEqualTo("20240528");
        assertThat(last(results).unverifiedKeys()).isEmpty();
        // dcmqrscp honours StudyDate: only the CT and MR studies of 2024 and 2022 were candidates
        assertThat(prometheus.scrape().lines())
                .contains("spanner_worker_verification_subqueries_total{source=\"" + source.sourceId() + "\"} 2.0");
    }

    @Test
    void aSeriesAttributeAtStudyLevelCannotBeVerifiedSoEveryStudyIsKeptAndTheKeyReported() {
        SourceEndpoint source = ignoring(dcmqrscpSource(), "BodyPartExamined");
        Attributes query = studyQuery().setString(0x00180015, VR.CS, "HEAD");

        List<SourceResult> results = run(source, query);

        assertThat(matches(results))
                .extracting(m -> m.getString(Tag.STUDY_INSTANCE_UID))
                .containsExactlyInAnyOrderElementsOf(dcmqrscp.studyInstanceUids());
        assertThat(last(results).unverifiedKeys()).containsExactly("BodyPartExamined");
        assertThat(results.subList(0, results.size() - 1))
                .allMatch(r -> r.unverifiedKeys().isEmpty());
        assertThat(prometheus.scrape().lines())
                .contains("spanner_worker_verification_unverified_keys_total{key=\"BodyPartExamined\",source=\""
                        + source.sourceId() + "\"} 1.0");
    }
}
