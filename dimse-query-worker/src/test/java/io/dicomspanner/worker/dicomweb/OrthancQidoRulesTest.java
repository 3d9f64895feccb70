package io.dicomspanner.worker.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SourceResult;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticSeries;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import io.dicomspanner.dicom.interop.OrthancPeer;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.testing.WorkerTestSupport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The adaptation rules of the DIMSE path, the QIDO-RS way, against a real archive: Orthanc 1.10 with its DICOMweb
 * plugin 1.7, holding 12 generated studies (6 patients, 2 studies of 2 series each, one modality per study). One Orthanc
 * as installed; one with {@code LimitFindResults} 3, which gives at most 4 results for any search whatever its paging,
 * and holds 5 more studies, all on one day.
 * What the worker asked is read from Orthanc's own log ({@code --verbose}: each request's path and its QIDO-RS
 * arguments). Orthanc 1.10 sends no {@code Warning} header at all, also not when it cuts a search short or is asked for
 * fuzzy matching (seen by hand): its cap can only be known from the source's {@code max_results}.
 */
class OrthancQidoRulesTest extends WorkerTestSupport {

    /** Orthanc's LimitFindResults; it then gives this many results plus one at most. */
    static final int LIMIT_FIND_RESULTS = 3;

    /** The day on which the capped Orthanc holds more studies than its cap. */
    static final String BUSY_DAY = "20300615";

    static SyntheticStudies data;
    static OrthancPeer orthanc;
    static OrthancPeer capped;
    /** Studies of the capped Orthanc only, all on {@link #BUSY_DAY}, one series each: study UID → series UID. */
    static final Map<String, String> busyDay = new LinkedHashMap<>();

    @BeforeAll
    static void startOrthancs() throws Exception {
        data = SyntheticStudies.generate(20261206L, 6, 2, 2, 1);
        orthanc = OrthancPeer.builder().aeTitle("QIDO_OPEN").verbose(true).start();
        capped = OrthancPeer.builder()
                .aeTitle("QIDO_CAPPED")
                .verbose(true)
                .limitFindResults(LIMIT_FIND_RESULTS)
                .start();
        orthanc.upload(data);
        capped.upload(data);
        SyntheticInstance model = data.instances().get(0);
        String[] times = {"060000", "090000", "120000", "150000", "180000"};
        for (int i = 0; i < times.length; i++) {
            String study = "2.25.20300615" + i;
            String series = study + ".1";
            String sop = series + ".1";
            Attributes instance = model.dataset()
                    .setString(Tag.STUDY_DATE, VR.DA, BUSY_DAY)
                    .setString(Tag.STUDY_TIME, VR.TM, times[i])
                    .setString(Tag.STUDY_INSTANCE_UID, VR.UI, study)
                    .setString(Tag.SERIES_INSTANCE_UID, VR.UI, series)
                    .setString(Tag.SOP_INSTANCE_UID, VR.UI, sop);
            capped.upload(DicomFile.encode(instance, model.sopClassUid(), sop));
            busyDay.put(study, series);
        }
    }

    @AfterAll
    static void stopOrthancs() throws IOException {
        if (orthanc != null) {
            orthanc.close();
        }
        if (capped != null) {
            capped.close();
        }
    }

    private static SourceEndpoint source(OrthancPeer peer, boolean relational, int maxResults) {
        return source(peer, relational, maxResults, List.of());
    }

    private static SourceEndpoint source(
            OrthancPeer peer, boolean relational, int maxResults, List<String> unmatchedKeys) {
        return new SourceEndpoint(
                newSourceId(),
                "orthanc-web",
                peer.aeTitle(),
                peer.host(),
                peer.httpPort(),
                "SPANNER",
                false,
                true,
                2,
                30,
                List.of(InformationModel.STUDY_ROOT),
                relational,
                unmatchedKeys,
                new DicomWebEndpoint(
                        baseUrl(peer),
                        DicomWebEndpoint.Auth.NONE,
                        null,
                        null,
                        null,
                        100,
                        false,
                        false,
                        true,
                        maxResults));
    }

    private static String baseUrl(OrthancPeer peer) {
        return "http://" + peer.host() + ":" + peer.httpPort() + "/dicom-web";
    }

    /**
     * The paths of the QIDO-RS requests in Orthanc's log after {@code from}. Its log lines name no thread, so requests
     * sent at once cannot be paired with their arguments: those are read apart ({@link #argumentsSince}).
     */
    private static List<String> pathsSince(OrthancPeer peer, int from) {
        return all(peer.log().substring(from), "\\(http\\) GET (/dicom-web/\\S+)");
    }

    /** The arguments of each QIDO-RS request in Orthanc's log after {@code from}, as Orthanc read them. */
    private static List<String> argumentsSince(OrthancPeer peer, int from) {
        return all(peer.log().substring(from), "Arguments of QIDO-RS request: ([^\\n]*)");
    }

    private static List<String> all(String log, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(log);
        while (m.find()) {
            found.add(m.group(1).strip());
        }
        return found;
    }

    private List<SourceResult> run(SourceEndpoint source, QueryLevel level, Attributes query) {
        publish(task(source, level, query, inSeconds(60), 0));
        return resultsUntilFinal();
    }

    private static List<String> uids(List<Attributes> matches, int tag) {
        return matches.stream().map(a -> a.getString(tag)).toList();
    }

    private static Attributes studyQuery() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
    }

    private static List<String> allStudyUids() {
        return data.studies().stream().map(SyntheticStudy::studyInstanceUid).toList();
    }

    private static List<String> allSeriesUids() {
        return data.series().stream().map(SyntheticSeries::seriesInstanceUid).toList();
    }

    @Test
    void theAttributesTheAnswerNeedsAreAskedWithIncludefieldAndComeBackWithOrthancsRetrieveUrl() {
        var patient = data.patients().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setNull(Tag.STUDY_DATE, VR.DA)
                .setNull(Tag.MODALITIES_IN_STUDY, VR.CS)
                .setNull(Tag.STUDY_DESCRIPTION, VR.LO)
                .setString(Tag.PATIENT_ID, VR.LO, patient.patientId())
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS);
        int mark = orthanc.log().length();

        List<SourceResult> results = run(source(orthanc, true, 0), QueryLevel.STUDY, query);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(pathsSince(orthanc, mark)).containsExactly("/dicom-web/studies");
        assertThat(argumentsSince(orthanc, mark))
                .containsExactly("[PatientID=" + patient.patientId() + "]"
                        + " [includefield=StudyDate] [includefield=ModalitiesInStudy] [includefield=StudyDescription]"
                        + " [includefield=StudyInstanceUID] [includefield=NumberOfStudyRelatedInstances]"
                        + " [limit=100] [offset=0]");
        List<Attributes> matches = matches(results);
        assertThat(matches).hasSize(patient.studies().size());
        for (SyntheticStudy study : patient.studies()) {
            Attributes match = matches.stream()
                    .filter(a -> study.studyInstanceUid().equals(a.getString(Tag.STUDY_INSTANCE_UID)))
                    .findFirst()
                    .orElseThrow();
            assertThat(match.getString(Tag.STUDY_DATE)).isEqualTo(study.studyDate());
            assertThat(match.getStrings(Tag.MODALITIES_IN_STUDY)).containsExactlyElementsOf(study.modalitiesInStudy());
            assertThat(match.getString(Tag.STUDY_DESCRIPTION)).isEqualTo(study.studyDescription());
            assertThat(match.getString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES))
                    .isEqualTo(Integer.toString(study.numberOfInstances()));
            assertThat(match.getString(Tag.RETRIEVE_URL))
                    .isEqualTo(baseUrl(orthanc) + "/studies/" + study.studyInstanceUid());
        }
    }

    @Test
    void aMultiValuedModalitiesInStudyIsOneSearchPerValueAndTheUnionEachStudyOnce() {
        List<String> expected = data.studies().stream()
                .filter(s -> s.modalitiesInStudy().contains("CT")
                        || s.modalitiesInStudy().contains("MR"))
                .map(SyntheticStudy::studyInstanceUid)
                .toList();
        assertThat(expected)
                .as("the data has CT or MR studies, and others")
                .isNotEmpty()
                .hasSizeLessThan(12);
        Attributes query = studyQuery().setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR");
        int mark = orthanc.log().length();

        List<SourceResult> results = run(source(orthanc, true, 0), QueryLevel.STUDY, query);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(uids(matches(results), Tag.STUDY_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pathsSince(orthanc, mark)).containsExactly("/dicom-web/studies", "/dicom-web/studies");
        assertThat(argumentsSince(orthanc, mark))
                .containsExactlyInAnyOrder(
                        "[ModalitiesInStudy=CT] [includefield=StudyInstanceUID] [limit=100] [offset=0]",
                        "[ModalitiesInStudy=MR] [includefield=StudyInstanceUID] [limit=100] [offset=0]");
    }

    @Test
    void aKeyTheSourceIsDeclaredNotToMatchOnIsAskedBackWithIncludefieldAndMatchedByTheWorker() {
        SyntheticStudy wanted = data.studies().get(0);
        List<String> expected = data.studies().stream()
                .filter(s -> s.studyDescription().equals(wanted.studyDescription()))
                .map(SyntheticStudy::studyInstanceUid)
                .toList();
        assertThat(expected).as("other studies have other descriptions").hasSizeLessThan(12);
        Attributes query = studyQuery().setString(Tag.STUDY_DESCRIPTION, VR.LO, wanted.studyDescription());
        int mark = orthanc.log().length();

        List<SourceResult> results =
                run(source(orthanc, true, 0, List.of("StudyDescription")), QueryLevel.STUDY, query);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(uids(matches(results), Tag.STUDY_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(argumentsSince(orthanc, mark))
                .containsExactly(
                        "[includefield=StudyDescription] [includefield=StudyInstanceUID] [limit=100] [offset=0]");
    }

    @Test
    void withoutRelationalQueriesASeriesSearchTakesTheStudyLevelStep() {
        String modality = data.series().get(0).modality();
        List<String> expected = data.series().stream()
                .filter(s -> s.modality().equals(modality))
                .map(SyntheticSeries::seriesInstanceUid)
                .toList();
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.MODALITY, VR.CS, modality)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        int mark = orthanc.log().length();

        List<SourceResult> hierarchical = run(source(orthanc, false, 0), QueryLevel.SERIES, query);

        assertThat(last(hierarchical).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(uids(matches(hierarchical), Tag.SERIES_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        List<String> paths = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        paths.add("/dicom-web/studies");
        arguments.add("[includefield=StudyInstanceUID] [limit=100] [offset=0]");
        for (String study : allStudyUids()) {
            paths.add("/dicom-web/studies/" + study + "/series");
            arguments.add("[Modality=" + modality + "] [includefield=SeriesInstanceUID] [limit=100] [offset=0]");
        }
        assertThat(pathsSince(orthanc, mark)).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(argumentsSince(orthanc, mark)).containsExactlyInAnyOrderElementsOf(arguments);

        mark = orthanc.log().length();
        List<SourceResult> relational = run(source(orthanc, true, 0), QueryLevel.SERIES, query);

        assertThat(uids(matches(relational), Tag.SERIES_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pathsSince(orthanc, mark)).containsExactly("/dicom-web/series");
        assertThat(argumentsSince(orthanc, mark))
                .containsExactly("[Modality=" + modality + "] [includefield=SeriesInstanceUID] [limit=100] [offset=0]");
    }

    @Test
    void aCappedArchiveStillGivesEveryStudyOnceItsCapIsKnown() {
        List<SourceResult> unaware = run(source(capped, true, 0), QueryLevel.STUDY, studyQuery());
        assertThat(last(unaware).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        assertThat(matches(unaware))
                .as("without max_results: what Orthanc gives, its cap plus one")
                .hasSize(LIMIT_FIND_RESULTS + 1);
        int mark = capped.log().length();

        List<SourceResult> results = run(source(capped, true, LIMIT_FIND_RESULTS + 1), QueryLevel.STUDY, studyQuery());

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        List<String> expected = new ArrayList<>(allStudyUids());
        expected.addAll(busyDay.keySet());
        assertThat(uids(matches(results), Tag.STUDY_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        List<String> searches = argumentsSince(capped, mark);
        assertThat(searches.get(0)).isEqualTo("[includefield=StudyInstanceUID] [limit=100] [offset=0]");
        assertThat(searches)
                .contains(
                        "[StudyDate=00010101-50000702] [includefield=StudyInstanceUID] [limit=100] [offset=0]",
                        "[StudyDate=50000703-99991231] [includefield=StudyInstanceUID] [limit=100] [offset=0]",
                        "[StudyDate=" + BUSY_DAY + "] [StudyTime=000000-115959.999999]"
                                + " [includefield=StudyInstanceUID] [limit=100] [offset=0]",
                        "[StudyDate=" + BUSY_DAY + "] [StudyTime=120000-235959.999999]"
                                + " [includefield=StudyInstanceUID] [limit=100] [offset=0]");
        assertThat(pathsSince(capped, mark)).hasSameSizeAs(searches).containsOnly("/dicom-web/studies");
        assertThat(searches)
                .as("17 studies, at most 4 a search, from 0001 to 9999 and by time on the busy day")
                .hasSize(55);
    }

    @Test
    void aCappedArchiveStillGivesEverySeriesThroughTheStudyLevelStep() {
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setNull(Tag.MODALITY, VR.CS)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        int mark = capped.log().length();
        List<SourceResult> results = run(source(capped, true, LIMIT_FIND_RESULTS + 1), QueryLevel.SERIES, query);

        assertThat(last(results).outcome()).isEqualTo(SourceOutcome.SUCCESS);
        List<Attributes> matches = matches(results);
        List<String> expected = new ArrayList<>(allSeriesUids());
        expected.addAll(busyDay.values());
        assertThat(uids(matches, Tag.SERIES_INSTANCE_UID)).containsExactlyInAnyOrderElementsOf(expected);
        List<String> studies = new ArrayList<>(allStudyUids());
        studies.addAll(busyDay.keySet());
        List<String> perStudy = new ArrayList<>();
        for (String study : studies) {
            perStudy.add("/dicom-web/studies/" + study + "/series");
        }
        List<String> paths = pathsSince(capped, mark);
        assertThat(paths.get(0)).as("the capped search").isEqualTo("/dicom-web/series");
        assertThat(paths.stream().filter(p -> p.equals("/dicom-web/studies")))
                .as("the study-level step, split as a study search")
                .hasSize(55);
        assertThat(paths.stream().filter(p -> p.endsWith("/series") && p.startsWith("/dicom-web/studies/")))
                .as("each study's series asked once")
                .containsExactlyInAnyOrderElementsOf(perStudy);
        assertThat(paths).hasSize(1 + 55 + 17);
        Set<String> modalities =
                data.series().stream().map(SyntheticSeries::modality).collect(Collectors.toSet());
        assertThat(matches).allSatisfy(m -> assertThat(modalities).contains(m.getString(Tag.MODALITY)));
    }

    @Test
    void aSearchThatCannotBeSplitBelowTheCapEndsSayingTheAnswerMayBeIncomplete() {
        SyntheticStudy study = data.studies().get(0);
        Attributes query = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, study.studyInstanceUid())
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);

        // declared lower than Orthanc's real cap: the one study's 2 series reach it, and a study cannot be split
        List<SourceResult> results = run(source(capped, true, 2), QueryLevel.SERIES, query);

        SourceResult end = last(results);
        assertThat(end.outcome()).isEqualTo(SourceOutcome.FAILED_STATUS);
        assertThat(end.error())
                .isEqualTo("1 of its searches gave as many results as it gives at most (max_results 2) and could not"
                        + " be split further: its answer may be incomplete");
        assertThat(uids(matches(results), Tag.SERIES_INSTANCE_UID))
                .containsExactlyInAnyOrderElementsOf(study.series().stream()
                        .map(SyntheticSeries::seriesInstanceUid)
                        .toList());
    }
}
