package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One task's verification of the matching keys its source ignores ({@link IgnoredKeys}); the source was sent each as
 * an empty return key, so the records it returns are a superset of the answer.
 *
 * <ul>
 *   <li>Each record is checked against each key alone with the matching rules: a value that disproves the key drops
 *       the record; a record without a value to compare is kept, and the key is reported as unverified.
 *   <li>ModalitiesInStudy at STUDY level, on a study that did not come with the value: the study's series are asked
 *       for (a SERIES-level C-FIND of the study, with Modality as a return key), ModalitiesInStudy is filled with their
 *       distinct modalities, sorted, and the study is kept only if that value matches (the key's values are OR-ed).
 *       At most {@code maxSubqueries} studies of a task are asked for, the first ones in result order; the studies
 *       beyond are kept unverified and ModalitiesInStudy is reported. A study without series is dropped; one whose
 *       series do not all give a Modality, and whose given modalities do not match, is kept unverified.
 *   <li>Where the source takes relational queries and matches Modality, and the key has fewer values than there are
 *       studies to ask (within {@code maxSubqueries}), the series are asked per requested modality instead
 *       ({@link Strategy#PER_MODALITY}): one SERIES-level C-FIND per value of the key, Modality that value, with the
 *       query's other patient and study keys that filter, StudyInstanceUID and SeriesInstanceUID as return keys. A
 *       study is kept iff a series found has its StudyInstanceUID and a Modality that matches the key; its
 *       ModalitiesInStudy then lists the requested modalities it has, sorted, not all of its modalities (the others
 *       were not asked). Every study is so verified, none asked for alone. Whichever strategy costs fewer C-FINDs is
 *       taken: the number of values against the number of studies to ask, up to the bound.
 * </ul>
 *
 * A record is relayed only once it is verified or known to be unverifiable; dropped records are counted.
 */
final class KeyVerification {

    /** The series of one study, each to {@code series}: the SERIES-level C-FIND(s) that find them. */
    @FunctionalInterface
    interface SeriesFind {
        CompletableFuture<FindOutcome> find(Attributes study, Consumer<Attributes> series);
    }

    /** The series matching {@code keys}, a relational SERIES-level identifier, each to {@code series}: one C-FIND. */
    @FunctionalInterface
    interface RelationalSeriesFind {
        CompletableFuture<FindOutcome> find(Attributes keys, Consumer<Attributes> series);
    }

    /** How the series of the studies found are asked for. */
    enum Strategy {
        /** one SERIES-level C-FIND per study, by its StudyInstanceUID */
        PER_STUDY,
        /** one relational SERIES-level C-FIND per value of the ModalitiesInStudy key, by Modality */
        PER_MODALITY
    }

    private static final String MODALITIES_IN_STUDY = "ModalitiesInStudy";
    private static final MatchOptions OPTIONS = MatchOptions.RECHECK.withCombinedDateTime(true);

    private final IgnoredKeys keys;
    private final IgnoredKeys.Key modalities;
    private final int maxSubqueries;
    private final SeriesFind seriesFind;
    private final Attributes identifier;
    private final RelationalSeriesFind relationalFind;
    private final Set<String> unverified = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();
    /** Set when studies were left unasked because of {@link #maxSubqueries}. */
    private volatile boolean boundReached;

    private volatile Strategy strategy;

    /** A verification that asks the series of the studies one study at a time only. */
    KeyVerification(IgnoredKeys keys, boolean bySeries, int maxSubqueries, SeriesFind seriesFind) {
        this(keys, bySeries, maxSubqueries, seriesFind, null, null);
    }

    /**
     * @param bySeries whether ModalitiesInStudy, if ignored, is verified through the studies' series (a STUDY-level
     *     task whose source has a SERIES level)
     * @param maxSubqueries series C-FINDs one task may send: studies asked for alone, or modalities asked for; 0: none
     * @param seriesFind asks a study's series; unused unless {@code bySeries}
     * @param identifier the task's identifier, whose keys narrow the series asked per modality; {@code null} together
     *     with {@code relationalFind}
     * @param relationalFind asks series by Modality across studies; {@code null} where the source cannot be asked so
     *     ({@link #asksByModality}), then every study is asked for alone
     */
    KeyVerification(
            IgnoredKeys keys,
            boolean bySeries,
            int maxSubqueries,
            SeriesFind seriesFind,
            Attributes identifier,
            RelationalSeriesFind relationalFind) {
        this.keys = keys;
        this.modalities = bySeries
                ? keys.keys().stream()
                        .filter(k -> k.tag() == Tag.MODALITIES_IN_STUDY)
                        .findFirst()
                        .orElse(null)
                : null;
        this.maxSubqueries = maxSubqueries;
        this.seriesFind = seriesFind;
        this.identifier = identifier;
        this.relationalFind = identifier == null ? null : relationalFind;
    }

    /**
     * Whether the series of a source's studies can be asked for by Modality across studies: it takes relational
     * queries and is not known to ignore Modality.
     */
    static boolean asksByModality(SourceEndpoint source) {
        return source.relationalQueries() && !source.ignores("Modality");
    }

    /** Whether records must be held until their studies' series are known ({@link #verifyStudies}). */
    boolean bySeries() {
        return modalities != null;
    }

    /** Whether to relay a record, by its own values alone; for a task that does not verify {@link #bySeries()}. */
    boolean keep(Attributes record) {
        List<String> unknown = unknownKeys(record);
        if (unknown == null) {
            return false;
        }
        unverified.addAll(unknown);
        return true;
    }

    /**
     * Verifies the studies a STUDY-level query found, asking the series of those without ModalitiesInStudy (per study
     * or per modality, whichever costs fewer C-FINDs), and relays the ones kept in the order given, once every series
     * query has ended. A series query that does not succeed ends the verification with its outcome, nothing relayed.
     */
    CompletableFuture<FindOutcome> verifyStudies(
            List<Attributes> studies, FindFanOut fanOut, Consumer<Attributes> relay) {
        List<Candidate> candidates = new ArrayList<>();
        List<Candidate> lacking = new ArrayList<>();
        for (Attributes study : studies) {
            List<String> unknown = unknownKeys(study);
            if (unknown == null) {
                continue;
            }
            Candidate c = new Candidate(study, unknown);
            String uid = study.getString(Tag.STUDY_INSTANCE_UID);
            if (unknown.contains(MODALITIES_IN_STUDY) && uid != null && !uid.isEmpty()) {
                lacking.add(c);
            }
            candidates.add(c);
        }
        List<String> requested = requestedModalities();
        if (!requested.isEmpty() && requested.size() <= maxSubqueries && requested.size() < lacking.size()) {
            strategy = Strategy.PER_MODALITY;
            return verifyByModality(requested, lacking, candidates, fanOut, relay);
        }
        List<Candidate> toAsk = lacking.subList(0, Math.min(lacking.size(), maxSubqueries));
        boundReached = toAsk.size() < lacking.size();
        for (Candidate c : toAsk) {
            c.unknown.remove(MODALITIES_IN_STUDY);
        }
        if (toAsk.isEmpty()) {
            relayKept(candidates, relay);
            return CompletableFuture.completedFuture(new FindOutcome(Status.SUCCESS, null, 0, false));
        }
        strategy = Strategy.PER_STUDY;
        return fanOut.run(toAsk, ignored -> {}, (c, ignored) -> seriesFind.find(c.study, c.series::add))
                .thenApply(outcome -> {
                    if (!outcome.isSuccess()) {
                        return outcome;
                    }
                    for (Candidate c : toAsk) {
                        c.asked = true;
                    }
                    relayKept(candidates, relay);
                    return outcome;
                });
    }

    /**
     * One SERIES-level C-FIND per requested modality; each study lacking ModalitiesInStudy is kept iff a series found
     * has its StudyInstanceUID and a Modality that matches the key.
     */
    private CompletableFuture<FindOutcome> verifyByModality(
            List<String> requested,
            List<Candidate> lacking,
            List<Candidate> candidates,
            FindFanOut fanOut,
            Consumer<Attributes> relay) {
        Attributes narrowing = narrowingKeys(keys.without(identifier));
        Map<String, Set<String>> found = new ConcurrentHashMap<>();
        Consumer<Attributes> collect = series -> {
            String uid = series.getString(Tag.STUDY_INSTANCE_UID);
            String modality = series.getString(Tag.MODALITY);
            if (uid != null && modality != null && !modality.isEmpty() && matchesKey(modality)) {
                found.computeIfAbsent(uid, k -> new ConcurrentSkipListSet<>()).add(modality);
            }
        };
        return fanOut.run(
                        requested,
                        ignored -> {},
                        (modality, ignored) -> relationalFind.find(seriesOfModality(narrowing, modality), collect))
                .thenApply(outcome -> {
                    if (!outcome.isSuccess()) {
                        return outcome;
                    }
                    for (Candidate c : lacking) {
                        c.unknown.remove(MODALITIES_IN_STUDY);
                        c.asked = true;
                        c.requestedFound = found.getOrDefault(c.study.getString(Tag.STUDY_INSTANCE_UID), Set.of());
                    }
                    relayKept(candidates, relay);
                    return outcome;
                });
    }

    /**
     * The distinct values of the ModalitiesInStudy key, in the order given, when the series may be asked per modality;
     * else none.
     */
    private List<String> requestedModalities() {
        if (modalities == null || relationalFind == null || modalities.strict() == null) {
            return List.of();
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (String v : identifier.getStrings(Tag.MODALITIES_IN_STUDY)) {
            if (v != null && !v.isEmpty()) {
                values.add(v);
            }
        }
        return List.copyOf(values);
    }

    private boolean matchesKey(String modality) {
        Attributes single = new Attributes().setString(Tag.MODALITIES_IN_STUDY, VR.CS, modality);
        return modalities.check(single) == IgnoredKeys.Verdict.MATCHES;
    }

    /**
     * The patient and study keys of {@code rest} (the identifier without the keys the source ignores) that filter:
     * those narrow the series asked per modality to the studies the study query found, relationally.
     */
    static Attributes narrowingKeys(Attributes rest) {
        Attributes narrowing = new Attributes();
        narrowing.copyFrom(rest, Tag.SPECIFIC_CHARACTER_SET);
        narrowing.copyFrom(rest, Tag.TIMEZONE_OFFSET_FROM_UTC);
        for (int i = 0; i < rest.size(); i++) {
            int tag = rest.tagAt(i);
            Optional<QueryLevel> level = AttributeLevels.levelOf(tag);
            if (level.isPresent()
                    && (level.get() == QueryLevel.PATIENT || level.get() == QueryLevel.STUDY)
                    && filters(rest, tag)) {
                narrowing.copyFrom(rest, tag);
            }
        }
        return narrowing;
    }

    /**
     * The SERIES-level identifier that asks the series of one modality: the narrowing keys, Modality, and
     * StudyInstanceUID (unless narrowed) and SeriesInstanceUID as return keys.
     */
    static Attributes seriesOfModality(Attributes narrowing, String modality) {
        Attributes keys = Attributes.copyOf(narrowing)
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, QueryLevel.SERIES.code())
                .setString(Tag.MODALITY, VR.CS, modality)
                .setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        if (!keys.contains(Tag.STUDY_INSTANCE_UID)) {
            keys.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        }
        return keys;
    }

    /** Whether the key of {@code tag} alone filters (has a value that is not universal, fits a matching rule). */
    private static boolean filters(Attributes identifier, int tag) {
        Attributes alone = new Attributes();
        alone.copyFrom(identifier, Tag.SPECIFIC_CHARACTER_SET);
        alone.copyFrom(identifier, Tag.TIMEZONE_OFFSET_FROM_UTC);
        alone.copyFrom(identifier, tag);
        try {
            return !QueryMatcher.compile(alone, OPTIONS).isUniversal();
        } catch (InvalidMatchingKeyException e) {
            // the study query carried it as given; the series query need not repeat a key no rule takes
            return false;
        }
    }

    /** How the studies' series were asked for; {@code null} while none was asked. */
    Strategy strategy() {
        return strategy;
    }

    /** Keywords of the keys some relayed record could not be verified for, in the order the source lists them. */
    List<String> unverifiedKeys() {
        return keys.keys().stream()
                .map(IgnoredKeys.Key::keyword)
                .filter(unverified::contains)
                .toList();
    }

    /**
     * The bound of series C-FINDs ({@code maxSubqueries}) when studies were left unasked because of it, so that some
     * relayed studies are unverified for that reason; 0 otherwise.
     */
    int boundReached() {
        return boundReached ? maxSubqueries : 0;
    }

    /** Records the verification dropped. */
    int dropped() {
        return dropped.get();
    }

    private void relayKept(List<Candidate> candidates, Consumer<Attributes> relay) {
        for (Candidate c : candidates) {
            if (c.asked) {
                IgnoredKeys.Verdict verdict =
                        c.requestedFound != null ? c.fillRequestedModalities() : c.fillModalitiesInStudy();
                if (verdict == IgnoredKeys.Verdict.DISPROVED) {
                    dropped.incrementAndGet();
                    continue;
                }
                if (verdict == IgnoredKeys.Verdict.UNKNOWN) {
                    c.unknown.add(MODALITIES_IN_STUDY);
                }
            }
            unverified.addAll(c.unknown);
            relay.accept(c.study);
        }
    }

    /** Keywords of the keys the record has no value for, or {@code null} (counted) if a value disproves one. */
    private List<String> unknownKeys(Attributes record) {
        List<String> unknown = new ArrayList<>();
        for (IgnoredKeys.Key k : keys.keys()) {
            switch (k.check(record)) {
                case DISPROVED -> {
                    dropped.incrementAndGet();
                    return null;
                }
                case UNKNOWN -> unknown.add(k.keyword());
                case MATCHES -> {
                    // verified
                }
            }
        }
        return unknown;
    }

    /** A study found, what is not known about it yet, and the series found for it. */
    private final class Candidate {
        final Attributes study;
        final List<String> unknown;
        final List<Attributes> series = Collections.synchronizedList(new ArrayList<>());
        boolean asked;
        /** asked per modality: the requested modalities found for it, sorted; else {@code null} */
        Set<String> requestedFound;

        Candidate(Attributes study, List<String> unknown) {
            this.study = study;
            this.unknown = unknown;
        }

        /** Sets ModalitiesInStudy to the requested modalities found for the study, if any: it matches then. */
        IgnoredKeys.Verdict fillRequestedModalities() {
            if (requestedFound.isEmpty()) {
                return IgnoredKeys.Verdict.DISPROVED;
            }
            study.setString(Tag.MODALITIES_IN_STUDY, VR.CS, requestedFound.toArray(String[]::new));
            return IgnoredKeys.Verdict.MATCHES;
        }

        /** Sets ModalitiesInStudy from the series and checks it. */
        IgnoredKeys.Verdict fillModalitiesInStudy() {
            if (series.isEmpty()) {
                return IgnoredKeys.Verdict.DISPROVED;
            }
            TreeSet<String> values = new TreeSet<>();
            boolean someWithout = false;
            for (Attributes s : series) {
                String modality = s.getString(Tag.MODALITY);
                if (modality == null || modality.isEmpty()) {
                    someWithout = true;
                } else {
                    values.add(modality);
                }
            }
            if (!values.isEmpty()) {
                study.setString(Tag.MODALITIES_IN_STUDY, VR.CS, values.toArray(String[]::new));
            }
            IgnoredKeys.Verdict verdict = modalities.check(study);
            if (verdict == IgnoredKeys.Verdict.DISPROVED && someWithout) {
                return IgnoredKeys.Verdict.UNKNOWN;
            }
            return verdict;
        }
    }
}
