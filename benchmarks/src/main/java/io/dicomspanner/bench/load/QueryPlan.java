package io.dicomspanner.bench.load;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QidoAttributes;
import io.dicomspanner.dicom.query.QueryLevel;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queries of a load test (QIDO-RS {@link LoadTest} and C-FIND {@code FindLoad}): a study search by Patient ID with an open Study Date range, in two mixes. Unique queries
 * take the next Patient ID of the population (each a cache miss that fans out to every PACS); the repeated query is
 * always the same (a cache hit once answered).
 *
 * <p>The range's upper end ({@code StudyDate=19000101-YYYYMMDD}, after every study of the simulated population) is the
 * run tag: it does not change the answer but changes the cache key, so a run never hits answers cached by an earlier
 * run within the config's cache TTL. When the run outlasts the population, the next round of Patient IDs takes the next
 * day as upper end, so it still misses.
 */
public final class QueryPlan {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;
    private static final LocalDate FIRST_TAG = LocalDate.of(2030, 1, 1);
    /** Run tags cycle through about 80 years of upper ends: far more runs than one cache TTL holds. */
    private static final int TAGS = 30_000;

    private final List<String> patientIds;
    private final int runTag;
    private final String repeatedPatientId;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param patientIds the unique queries' Patient IDs, in the order they are used
     * @param repeatedPatientId the repeated query's
     * @param seed chooses the run tag
     */
    public QueryPlan(List<String> patientIds, String repeatedPatientId, long seed) {
        if (patientIds.isEmpty()) {
            throw new IllegalArgumentException("no Patient IDs to query");
        }
        this.patientIds = List.copyOf(patientIds);
        this.repeatedPatientId = repeatedPatientId;
        this.runTag = (int) Math.floorMod(seed, (long) TAGS);
    }

    /** One query: its QIDO-RS query string (without the config parameter) and its keys. */
    public record Query(String patientId, String studyDateRange) {
        String qido(long configId) {
            return "PatientID=" + URLEncoder.encode(patientId, StandardCharsets.UTF_8) + "&StudyDate=" + studyDateRange
                    + "&spanner_config_id=" + configId;
        }

        /**
         * The study-level C-FIND identifier a PACS gets for it: the matching keys and, as universal keys, the QIDO-RS
         * study result attributes (what the coordinator asks every source for).
         */
        public Attributes identifier() {
            Attributes keys = new Attributes();
            ElementDictionary dictionary = ElementDictionary.standard();
            for (int tag : QidoAttributes.responseAttributes(QueryLevel.STUDY)) {
                VR vr = dictionary.vrOf(tag);
                keys.setNull(tag, vr == null ? VR.UN : vr);
            }
            keys.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
            keys.setString(Tag.PATIENT_ID, VR.LO, patientId);
            keys.setString(dictionary.tagOf("StudyDate"), VR.DA, studyDateRange);
            return keys;
        }
    }

    /** The next unique query. */
    public Query nextUnique() {
        int i = next.getAndIncrement();
        int round = i / patientIds.size();
        return new Query(patientIds.get(i % patientIds.size()), range(runTag + round));
    }

    /**
     * The same search with another run tag: the same answer, under a cache key no client of the run used, so asking it
     * later gets a fresh answer to compare with (the load tool's {@code --verify}).
     */
    static Query reference(Query query) {
        String upper = query.studyDateRange().substring(query.studyDateRange().indexOf('-') + 1);
        return new Query(
                query.patientId(),
                "19000101-" + DA.format(LocalDate.parse(upper, DA).plusDays(TAGS / 2 + 1)));
    }

    /** The repeated query (tag 0, the same in every run). */
    Query repeated() {
        return new Query(repeatedPatientId, range(0));
    }

    /** Unique queries handed out so far. */
    public int uniqueIssued() {
        return next.get();
    }

    static String range(int tag) {
        return "19000101-" + DA.format(FIRST_TAG.plusDays(Math.floorMod(tag, TAGS)));
    }
}
