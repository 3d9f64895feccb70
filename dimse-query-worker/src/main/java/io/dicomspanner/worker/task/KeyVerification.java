package io.dicomspanner.worker.task;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final String MODALITIES_IN_STUDY = "ModalitiesInStudy";

    private final IgnoredKeys keys;
    private final IgnoredKeys.Key modalities;
    private final int maxSubqueries;
    private final SeriesFind seriesFind;
    private final Set<String> unverified = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();

    /**
     * @param bySeries whether ModalitiesInStudy, if ignored, is verified through the studies' series (a STUDY-level
     *     task whose source has a SERIES level)
     * @param maxSubqueries studies of one task whose series may be asked for; 0: none
     * @param seriesFind asks a study's series; unused unless {@code bySeries}
     */
    KeyVerification(IgnoredKeys keys, boolean bySeries, int maxSubqueries, SeriesFind seriesFind) {
        this.keys = keys;
        this.modalities = bySeries
                ? keys.keys().stream()
                        .filter(k -> k.tag() == Tag.MODALITIES_IN_STUDY)
                        .findFirst()
                        .orElse(null)
                : null;
        this.maxSubqueries = maxSubqueries;
        this.seriesFind = seriesFind;
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
     * Verifies the studies a STUDY-level query found, asking the series of those without ModalitiesInStudy, and relays
     * the ones kept in the order given, once every series query has ended. A series query that does not succeed ends
     * the verification with its outcome, nothing relayed.
     */
    CompletableFuture<FindOutcome> verifyStudies(
            List<Attributes> studies, FindFanOut fanOut, Consumer<Attributes> relay) {
        List<Candidate> candidates = new ArrayList<>();
        List<Candidate> toAsk = new ArrayList<>();
        for (Attributes study : studies) {
            List<String> unknown = unknownKeys(study);
            if (unknown == null) {
                continue;
            }
            Candidate c = new Candidate(study, unknown);
            if (unknown.remove(MODALITIES_IN_STUDY)) {
                String uid = study.getString(Tag.STUDY_INSTANCE_UID);
                if (toAsk.size() < maxSubqueries && uid != null && !uid.isEmpty()) {
                    toAsk.add(c);
                } else {
                    unknown.add(MODALITIES_IN_STUDY);
                }
            }
            candidates.add(c);
        }
        if (toAsk.isEmpty()) {
            relayKept(candidates, relay);
            return CompletableFuture.completedFuture(new FindOutcome(Status.SUCCESS, null, 0, false));
        }
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

    /** Keywords of the keys some relayed record could not be verified for, in the order the source lists them. */
    List<String> unverifiedKeys() {
        return keys.keys().stream()
                .map(IgnoredKeys.Key::keyword)
                .filter(unverified::contains)
                .toList();
    }

    /** Records the verification dropped. */
    int dropped() {
        return dropped.get();
    }

    private void relayKept(List<Candidate> candidates, Consumer<Attributes> relay) {
        for (Candidate c : candidates) {
            if (c.asked) {
                IgnoredKeys.Verdict verdict = c.fillModalitiesInStudy();
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

        Candidate(Attributes study, List<String> unknown) {
            this.study = study;
            this.unknown = unknown;
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
