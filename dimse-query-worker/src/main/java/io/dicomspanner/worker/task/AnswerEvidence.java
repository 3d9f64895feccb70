package io.dicomspanner.worker.task;

import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.adapt.QueryAdapter;
import io.dicomspanner.worker.find.CFindFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What one task's answer says of the matching keys its source is trusted to apply: for each such key, the records the
 * source returned (before any local filtering), those without a value for the key, and those whose value disproves it.
 * {@link KeyLearning} draws its conclusions from it once the task has succeeded.
 *
 * <p>Only keys sent to the source as given at the task's level are counted: a key the worker left out of the C-FIND
 * (an upper-level key of a level-by-level search, an attribute of another level) says nothing about the source.
 * Person names are compared regardless of case: PS3.4 C.2.2.2.1 lets an SCP match them so (Orthanc does), and a
 * record disproved by case alone is no sign of an ignored key.
 */
final class AnswerEvidence {

    /** Counts nothing: learning is off, or the task has no learnable key. */
    static final AnswerEvidence NONE = new AnswerEvidence(0, List.of());

    private static final MatchOptions OPTIONS = IgnoredKeys.options().withCaseInsensitivePersonName(true);

    /** One key's counts. */
    static final class KeyCounts {
        private final IgnoredKeys.Key key;
        private final AtomicInteger withoutValue = new AtomicInteger();
        private final AtomicInteger disproved = new AtomicInteger();

        private KeyCounts(IgnoredKeys.Key key) {
            this.key = key;
        }

        String keyword() {
            return key.keyword();
        }

        int withoutValue() {
            return withoutValue.get();
        }

        int disproved() {
            return disproved.get();
        }

        private void count(Attributes record) {
            switch (key.check(record)) {
                case DISPROVED -> disproved.incrementAndGet();
                case UNKNOWN -> withoutValue.incrementAndGet();
                case MATCHES -> {
                    // what the source should have answered
                }
            }
        }
    }

    private final long sourceId;
    private final List<KeyCounts> keys;
    private final AtomicInteger records = new AtomicInteger();

    private AnswerEvidence(long sourceId, List<KeyCounts> keys) {
        this.sourceId = sourceId;
        this.keys = keys;
    }

    /**
     * The evidence to collect for a task: the keys of {@code identifier} among {@code learnable} that the source is not
     * already known to ignore, that filter, that are not unique keys, and that go to the source as given.
     */
    static AnswerEvidence of(SourceEndpoint source, QueryLevel level, Attributes identifier, Set<String> learnable) {
        List<String> candidates = new ArrayList<>();
        for (String keyword : learnable) {
            if (!source.unmatchedKeys().contains(keyword)) {
                candidates.add(keyword);
            }
        }
        if (candidates.isEmpty()) {
            return NONE;
        }
        Attributes sent;
        try {
            InformationModel model = QueryAdapter.chooseModel(source.informationModels(), level);
            sent = QueryAdapter.keysFor(
                    identifier, new Attributes(), model, level, source.relationalQueries(), QueryOptions.NONE);
        } catch (CFindFailedException e) {
            return NONE; // the task fails before it asks anything
        }
        List<KeyCounts> keys = new ArrayList<>();
        for (IgnoredKeys.Key key : IgnoredKeys.keysOf(candidates, identifier, OPTIONS)) {
            if (key.strict() != null && !IgnoredKeys.isUniqueKey(key.tag()) && sent.contains(key.tag())) {
                keys.add(new KeyCounts(key));
            }
        }
        return keys.isEmpty() ? NONE : new AnswerEvidence(source.sourceId(), List.copyOf(keys));
    }

    /** Counts each record before passing it on. Runs on event-loop threads. */
    Consumer<Attributes> counting(Consumer<Attributes> next) {
        if (keys.isEmpty()) {
            return next;
        }
        return record -> {
            records.incrementAndGet();
            for (KeyCounts k : keys) {
                k.count(record);
            }
            next.accept(record);
        };
    }

    long sourceId() {
        return sourceId;
    }

    /** Records the source returned. */
    int records() {
        return records.get();
    }

    List<KeyCounts> keys() {
        return keys;
    }
}
