package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An in-process Study Root C-FIND SCP over a few series records, matching with {@link QueryMatcher}, whose flaws a
 * test chooses: keys it ignores, keys it filters every record out with, keys whose C-FIND fails, attributes it does
 * not return. It records every identifier it was sent.
 */
final class FakeArchive implements MatchingProbe.Finder {

    private final List<Attributes> seriesRecords = new ArrayList<>();
    private final Set<Integer> ignored = new HashSet<>();
    private final Set<Integer> broken = new HashSet<>();
    private final Set<Integer> failing = new HashSet<>();
    private final Set<Integer> notReturned = new HashSet<>();
    final List<Attributes> received = new ArrayList<>();

    /** A series record: keyword, value pairs of patient, study and series attributes. */
    FakeArchive series(String... keywordsAndValues) {
        Attributes record = new Attributes();
        for (int i = 0; i < keywordsAndValues.length; i += 2) {
            int tag = tag(keywordsAndValues[i]);
            record.setString(tag, ElementDictionary.standard().vrOf(tag), keywordsAndValues[i + 1].split("\\\\"));
        }
        seriesRecords.add(record);
        return this;
    }

    /** Matches as if the key were not in the identifier. */
    FakeArchive ignoring(String keyword) {
        ignored.add(tag(keyword));
        return this;
    }

    /** Finds nothing whenever the key holds a value: it matches otherwise than DICOM says. */
    FakeArchive breaking(String keyword) {
        broken.add(tag(keyword));
        return this;
    }

    /** Fails the C-FIND whenever the key holds a value. */
    FakeArchive failing(String keyword) {
        failing.add(tag(keyword));
        return this;
    }

    /** Leaves the attribute out of its answers (it still matches on it). */
    FakeArchive notReturning(String keyword) {
        notReturned.add(tag(keyword));
        return this;
    }

    private static int tag(String keyword) {
        return ElementDictionary.standard().tagOf(keyword);
    }

    @Override
    public CompletableFuture<List<Attributes>> find(Attributes identifier) {
        received.add(Attributes.copyOf(identifier));
        Attributes matching = Attributes.copyOf(identifier);
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            boolean hasValue = identifier.getStrings(tag).length > 0;
            if (hasValue && failing.contains(tag)) {
                return CompletableFuture.failedFuture(
                        new DicomNetworkException("C-FIND ended with status 0xC001 (unable to process)"));
            }
            if (hasValue && broken.contains(tag)) {
                return CompletableFuture.completedFuture(List.of());
            }
            if (ignored.contains(tag)) {
                matching.remove(tag);
            }
        }
        QueryLevel level = QueryLevel.ofCode(identifier.getString(Tag.QUERY_RETRIEVE_LEVEL));
        QueryMatcher matcher = QueryMatcher.compile(matching, MatchOptions.SCP);
        List<Attributes> answers = new ArrayList<>();
        for (Attributes record : records(level)) {
            if (matcher.matches(record)) {
                Attributes answer = new Attributes();
                for (int i = 0; i < identifier.size(); i++) {
                    int tag = identifier.tagAt(i);
                    if (notReturned.contains(tag)) {
                        continue;
                    }
                    if (record.contains(tag)) {
                        answer.copyFrom(record, tag);
                    } else {
                        answer.setNull(tag, identifier.vrAt(i));
                    }
                }
                answers.add(answer);
            }
        }
        return CompletableFuture.completedFuture(answers);
    }

    /** Series records as they are, or one record per study: its patient and study attributes, Modalities in Study. */
    private List<Attributes> records(QueryLevel level) {
        if (level == QueryLevel.SERIES) {
            return seriesRecords;
        }
        Map<String, Attributes> studies = new LinkedHashMap<>();
        Map<String, Set<String>> modalities = new LinkedHashMap<>();
        for (Attributes series : seriesRecords) {
            String uid = series.getString(Tag.STUDY_INSTANCE_UID);
            Attributes study = studies.computeIfAbsent(uid, u -> new Attributes());
            for (int i = 0; i < series.size(); i++) {
                int tag = series.tagAt(i);
                if (AttributeLevels.levelOf(tag).orElseThrow().ordinal() <= QueryLevel.STUDY.ordinal()) {
                    study.copyFrom(series, tag);
                }
            }
            modalities.computeIfAbsent(uid, u -> new LinkedHashSet<>()).add(series.getString(Tag.MODALITY));
        }
        studies.forEach((uid, study) -> study.setString(
                Tag.MODALITIES_IN_STUDY, VR.CS, modalities.get(uid).toArray(String[]::new)));
        return List.copyOf(studies.values());
    }
}
