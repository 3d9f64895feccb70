package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.probe.MatchingProbe.Finder;
import io.dicomspanner.dicom.probe.MatchingProbe.KeyFinding;
import io.dicomspanner.dicom.probe.MatchingProbe.Matching;
import io.dicomspanner.dicom.probe.MatchingProbe.Report;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One run of the probe: finds the sample study (and, when a key first needs it, the sample series), then probes the keys
 * one after another, each C-FIND after the previous one ended, so a source that allows few associations is never asked
 * for two at once. Not thread-safe, and need not be: its steps follow one another.
 */
final class ProbeRun {

    private static final String STUDY = "study";
    private static final String SERIES = "series";
    /** How a key's first C-FIND ends when the source applies the key. */
    private static final String NOTHING = "a value no record holds found nothing";

    private final Finder finder;
    private final List<ProbeKey> keys;
    private final List<KeyFinding> findings = new ArrayList<>();
    private int cfinds;

    private Attributes sampleStudy;
    /** The sample series, or null when none was read; {@link #seriesFailure} then says why. */
    private Attributes sampleSeries;

    private String seriesFailure;
    private CompletableFuture<Void> seriesRead;
    /** Modality values of the sample study's series, for a source that does not return Modalities in Study. */
    private final List<String> seriesModalities = new ArrayList<>();

    ProbeRun(Finder finder, List<ProbeKey> keys) {
        this.finder = finder;
        this.keys = List.copyOf(keys);
    }

    CompletableFuture<Report> run() {
        return find(studySampleQuery()).thenCompose(answer -> {
            if (answer.failed()) {
                return done(undetermined("the C-FIND for a sample study failed: " + answer.reason()));
            }
            sampleStudy = pick(answer.matches(), Tag.STUDY_INSTANCE_UID, QueryLevel.STUDY);
            if (sampleStudy == null) {
                return done(undetermined("no study to probe with: the C-FIND for every study found none"));
            }
            return probeKeys();
        });
    }

    private CompletableFuture<Report> done(List<KeyFinding> all) {
        findings.addAll(all);
        return CompletableFuture.completedFuture(new Report(List.copyOf(findings), cfinds));
    }

    private List<KeyFinding> undetermined(String detail) {
        return keys.stream()
                .map(k -> new KeyFinding(k.keyword(), k.level(), Matching.UNDETERMINED, null, detail))
                .toList();
    }

    // ---- samples

    private Attributes studySampleQuery() {
        Attributes id = identifier(QueryLevel.STUDY);
        id.setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        for (ProbeKey key : keys) {
            if (!key.isSeriesKey()) {
                id.setNull(key.tag(), key.vr());
            }
        }
        return id;
    }

    /**
     * The series of the sample study: the sample series, and the modalities of all its series. Read once, when first
     * needed, so a probe without series keys spends no C-FIND on them.
     */
    private CompletableFuture<Void> sampleSeriesRead() {
        if (seriesRead == null) {
            seriesRead = readSampleSeries();
        }
        return seriesRead;
    }

    private CompletableFuture<Void> readSampleSeries() {
        Attributes id = identifier(QueryLevel.SERIES);
        id.setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid());
        id.setNull(Tag.SERIES_INSTANCE_UID, VR.UI);
        id.setNull(Tag.MODALITY, VR.CS);
        for (ProbeKey key : keys) {
            if (key.isSeriesKey()) {
                id.setNull(key.tag(), key.vr());
            }
        }
        return find(id).thenAccept(answer -> {
            if (answer.failed()) {
                seriesFailure = "the C-FIND for the sample study's series failed: " + answer.reason();
                return;
            }
            for (Attributes series : answer.matches()) {
                for (String modality : series.getStrings(Tag.MODALITY)) {
                    if (!modality.isBlank() && !seriesModalities.contains(modality.strip())) {
                        seriesModalities.add(modality.strip());
                    }
                }
            }
            sampleSeries = pick(answer.matches(), Tag.SERIES_INSTANCE_UID, QueryLevel.SERIES);
            if (sampleSeries == null) {
                seriesFailure = "the sample study has no series to probe with";
            }
        });
    }

    /**
     * The record with the most values among the keys probed at {@code level}; among equals, one whose values are all
     * ASCII (the probe tests matching, not a source's character set conversions), then the first answered.
     */
    private Attributes pick(List<Attributes> answers, int uniqueKey, QueryLevel level) {
        Attributes best = null;
        int bestScore = -1;
        for (Attributes answer : answers) {
            String uid = answer.getString(uniqueKey);
            if (uid == null || uid.isBlank()) {
                continue;
            }
            int values = 0;
            boolean ascii = true;
            for (ProbeKey key : keys) {
                if (key.level() == level) {
                    String[] v = answer.getStrings(key.tag());
                    if (ProbeValues.hasValue(v)) {
                        values++;
                        ascii &= isAscii(v);
                    }
                }
            }
            int score = values * 2 + (ascii ? 1 : 0);
            if (score > bestScore) {
                best = answer;
                bestScore = score;
            }
        }
        return best;
    }

    private static boolean isAscii(String[] values) {
        for (String value : values) {
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(value)) {
                return false;
            }
        }
        return true;
    }

    // ---- keys

    private CompletableFuture<Report> probeKeys() {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (ProbeKey key : keys) {
            chain = chain.thenCompose(v -> probe(key)).thenAccept(findings::add);
        }
        return chain.thenApply(v -> new Report(List.copyOf(findings), cfinds));
    }

    private CompletableFuture<KeyFinding> probe(ProbeKey key) {
        if (key.isSeriesKey()) {
            return sampleSeriesRead().thenCompose(v -> probeOnSample(key));
        }
        return probeOnSample(key);
    }

    private CompletableFuture<KeyFinding> probeOnSample(ProbeKey key) {
        if (key.isSeriesKey() && sampleSeries == null) {
            return CompletableFuture.completedFuture(
                    new KeyFinding(key.keyword(), key.level(), Matching.UNDETERMINED, null, seriesFailure));
        }
        Attributes sample = key.isSeriesKey() ? sampleSeries : sampleStudy;
        String record = key.isSeriesKey() ? SERIES : STUDY;
        String[] sampleValues = sample.getStrings(key.tag());
        boolean returned = ProbeValues.hasValue(sampleValues);
        Finding finding = new Finding(key, returned);
        Optional<String> noRecordValue = ProbeValues.noRecordValue(key.vr(), sampleValues);
        if (noRecordValue.isEmpty()) {
            return finding.done(Matching.UNDETERMINED, "no value of its VR differs from the sample " + record + "'s");
        }
        return find(keyQuery(key, noRecordValue.get())).thenCompose(mustNot -> {
            if (mustNot.failed()) {
                return finding.done(
                        Matching.UNDETERMINED, "the C-FIND with a value no record holds failed: " + mustNot.reason());
            }
            if (returnsSample(key, mustNot.matches())) {
                return finding.done(
                        Matching.NOT_MATCHED, "a value no record holds still returned the sample " + record);
            }
            Optional<String> own = ProbeValues.ownValue(sampleValues);
            if (own.isEmpty() && key.tag() == Tag.MODALITIES_IN_STUDY) {
                return sampleSeriesRead().thenCompose(v -> {
                    if (seriesFailure != null) {
                        return finding.done(Matching.UNDETERMINED, NOTHING + ", and " + seriesFailure);
                    }
                    return mustMatch(
                            key,
                            finding,
                            seriesModalities.stream().findFirst(),
                            "a modality of the sample study's series",
                            record);
                });
            }
            return mustMatch(key, finding, own, "the sample " + record + "'s own value", record);
        });
    }

    /**
     * The second C-FIND of a key: the sample's own value {@code own}, described as {@code whose}, must find the
     * sample.
     */
    private CompletableFuture<KeyFinding> mustMatch(
            ProbeKey key, Finding finding, Optional<String> own, String whose, String record) {
        if (own.isEmpty()) {
            return finding.done(
                    Matching.UNDETERMINED,
                    NOTHING + ", but the sample " + record + " holds no value to show that its own value finds it");
        }
        return find(keyQuery(key, own.get())).thenCompose(must -> {
            if (must.failed()) {
                return finding.done(
                        Matching.UNDETERMINED,
                        NOTHING + ", and the C-FIND with " + whose + " failed: " + must.reason());
            }
            if (returnsSample(key, must.matches())) {
                return finding.done(Matching.MATCHED, NOTHING + ", and " + whose + " found it");
            }
            return finding.done(Matching.NOT_MATCHED, NOTHING + ", but " + whose + " did not find it");
        });
    }

    /** The finding of one key under construction: "not returned; " leads the detail of a key the source left out. */
    private record Finding(ProbeKey key, boolean returned) {
        CompletableFuture<KeyFinding> done(Matching matching, String detail) {
            return CompletableFuture.completedFuture(new KeyFinding(
                    key.keyword(), key.level(), matching, returned, returned ? detail : "not returned; " + detail));
        }
    }

    /** The sample record's unique keys and {@code value} for the key: one record can match, or none. */
    private Attributes keyQuery(ProbeKey key, String value) {
        Attributes id = identifier(key.level());
        id.setString(Tag.STUDY_INSTANCE_UID, VR.UI, studyUid());
        if (key.isSeriesKey()) {
            id.setString(Tag.SERIES_INSTANCE_UID, VR.UI, sampleSeries.getString(Tag.SERIES_INSTANCE_UID));
        }
        if (!isAscii(new String[] {value})) {
            id.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        id.setString(key.tag(), key.vr(), value);
        return id;
    }

    private boolean returnsSample(ProbeKey key, List<Attributes> matches) {
        int uniqueKey = key.isSeriesKey() ? Tag.SERIES_INSTANCE_UID : Tag.STUDY_INSTANCE_UID;
        String uid = (key.isSeriesKey() ? sampleSeries : sampleStudy).getString(uniqueKey);
        return matches.stream().anyMatch(m -> uid.equals(m.getString(uniqueKey)));
    }

    private String studyUid() {
        return sampleStudy.getString(Tag.STUDY_INSTANCE_UID);
    }

    private static Attributes identifier(QueryLevel level) {
        return new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level.code());
    }

    // ---- C-FINDs

    /** What one C-FIND gave: its matches, or why it failed. */
    private record Answer(List<Attributes> matches, Throwable failure) {
        boolean failed() {
            return failure != null;
        }

        String reason() {
            return ProbeRun.reason(failure);
        }
    }

    private CompletableFuture<Answer> find(Attributes identifier) {
        cfinds++;
        CompletableFuture<List<Attributes>> future;
        try {
            future = finder.find(identifier);
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        if (future == null) {
            future = CompletableFuture.failedFuture(new IllegalStateException("the finder returned no answer"));
        }
        return future.handle((matches, failure) -> failure != null
                ? new Answer(List.of(), failure)
                : new Answer(matches == null ? List.of() : matches, null));
    }

    /** The failure's message, with its causes' where they add something; the completion wrappers left out. */
    static String reason(Throwable failure) {
        Throwable e = failure;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        StringBuilder s = new StringBuilder(
                e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }
}
