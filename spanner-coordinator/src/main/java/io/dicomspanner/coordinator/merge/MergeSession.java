package io.dicomspanner.coordinator.merge;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.MergePolicy;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.query.ResultPage;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The merge of one spanning query: takes the answers of its sources batch by batch as they stream in and de-duplicates
 * them by the unique key of the query level.
 *
 * <p>Each record is, on arrival: decoded to Java strings, since copies from PACS in different character sets are
 * merged attribute by attribute; matched again against the query by the caller's re-check, because PACS differ in
 * which keys they honour; dropped if it lacks the level's unique key; then filed under that key. Copies that disagree on Patient ID are reported as {@link ConflictingCopies}.
 *
 * <p>A result is <em>final</em> once no record still to come can change it. Under {@link
 * DeduplicationStrategy#FIRST_WINS} that is as soon as every source ranked above the record's best copy has finished,
 * so a DIMSE SCP can stream such results while slower sources still run ({@link #takeFinal()}). A result given out
 * early names in Retrieve AE Title the sources that held it by then; {@link #result()} names them all. Under the
 * other strategies any later copy can change a result, so results are final only when every source has finished. With
 * de-duplication off every record is final on arrival.
 *
 * <p>The session takes ownership of the records passed to {@link #accept}: it decodes them in place and keeps them.
 * Results are fresh data sets, safe to change. Thread-safe: sources may deliver from several threads; decoding and
 * the re-check run outside the session's lock, so the re-check must be safe to call concurrently.
 */
public final class MergeSession {

    private final QueryLevel level;
    private final MergePolicy policy;
    private final Predicate<Attributes> recheck;
    private final Map<String, SourceState> sources = new HashMap<>();
    /** Sources best-ranked first; a source's index here is its rank. */
    private final List<SourceState> ranked;

    private final Map<String, Group> groups = new HashMap<>();
    private final List<Group> conflictingGroups = new ArrayList<>();
    private int acceptedCopies;
    private final List<Copy> copiesInArrivalOrder = new ArrayList<>();

    /** Number of leading ranks whose sources have finished. */
    private int finishedPrefix;
    /** Under FIRST_WINS: groups not yet final, by the rank of their best copy. */
    private final List<Set<Group>> pendingByRank;
    /** Ranks below this one have had their pending groups released. */
    private int releasedRanks;

    private final ArrayDeque<Group> finalGroups = new ArrayDeque<>();
    private final ArrayDeque<Copy> finalCopies = new ArrayDeque<>();
    private boolean everythingReleased;

    /**
     * @param level the query level, which gives the unique key
     * @param policy de-duplication on or off, and the strategy
     * @param sources every source the query was sent to; a record's finality depends on sources that have not sent
     *     anything yet, so all must be known from the start
     * @param recheck the query's matching rules; records it rejects are dropped and counted per source
     */
    public MergeSession(
            QueryLevel level, MergePolicy policy, List<MergeSource> sources, Predicate<Attributes> recheck) {
        this.level = Objects.requireNonNull(level, "level");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.recheck = Objects.requireNonNull(recheck, "recheck");
        List<MergeSource> order = new ArrayList<>(sources);
        order.sort(MergeSource.RANK_ORDER);
        List<SourceState> states = new ArrayList<>(order.size());
        for (int rank = 0; rank < order.size(); rank++) {
            SourceState state = new SourceState(order.get(rank), rank);
            if (this.sources.put(state.source.id(), state) != null) {
                throw new IllegalArgumentException("source " + state.source.id() + " is listed twice");
            }
            states.add(state);
        }
        this.ranked = List.copyOf(states);
        this.pendingByRank = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            pendingByRank.add(new LinkedHashSet<>());
        }
    }

    public QueryLevel level() {
        return level;
    }

    public MergePolicy policy() {
        return policy;
    }

    /**
     * Merges a batch of records from a running source.
     *
     * @return false if the source had already finished: the batch is ignored (and counted as late), since results
     *     given out as final must not change
     * @throws IllegalArgumentException for a source the session was not created with
     */
    public boolean accept(String sourceId, List<Attributes> batch) {
        SourceState source = stateOf(sourceId);
        List<Arrival> arrivals = new ArrayList<>(batch.size());
        int filtered = 0;
        int withoutKey = 0;
        for (Attributes record : batch) {
            DecodedText.decodeInPlace(record);
            if (!recheck.test(record)) {
                filtered++;
                continue;
            }
            String key = level.uniqueKeyOf(record);
            if (key == null) {
                withoutKey++;
                continue;
            }
            int completeness = policy.deduplicationEnabled() && policy.strategy() == DeduplicationStrategy.MOST_COMPLETE
                    ? RecordMerger.completeness(record, level)
                    : 0;
            arrivals.add(new Arrival(record, key, completeness));
        }
        synchronized (this) {
            if (source.finished) {
                source.late += batch.size();
                return false;
            }
            source.received += batch.size();
            source.filteredByRecheck += filtered;
            source.withoutUniqueKey += withoutKey;
            for (Arrival arrival : arrivals) {
                file(source, arrival);
            }
            return true;
        }
    }

    /**
     * Records that a source will send nothing more, whether it completed, failed or timed out. Idempotent.
     *
     * @throws IllegalArgumentException for a source the session was not created with
     */
    public synchronized void sourceFinished(String sourceId) {
        SourceState source = stateOf(sourceId);
        if (source.finished) {
            return;
        }
        source.finished = true;
        while (finishedPrefix < ranked.size() && ranked.get(finishedPrefix).finished) {
            finishedPrefix++;
        }
        if (policy.deduplicationEnabled() && policy.strategy() == DeduplicationStrategy.FIRST_WINS) {
            releaseFirstWinsUpTo(finishedPrefix);
        } else if (isComplete() && policy.deduplicationEnabled()) {
            releaseEverything();
        }
    }

    /** True once every source has finished. */
    public synchronized boolean isComplete() {
        return finishedPrefix == ranked.size();
    }

    /**
     * The results that became final since the last call, each given out once, in the order they became final. Once
     * the session is complete, successive calls have given out every result.
     */
    public synchronized List<Attributes> takeFinal() {
        List<Attributes> out = new ArrayList<>(finalGroups.size() + finalCopies.size());
        while (!finalGroups.isEmpty()) {
            out.add(build(finalGroups.poll()));
        }
        while (!finalCopies.isEmpty()) {
            out.add(ownCopy(finalCopies.poll()));
        }
        return out;
    }

    /**
     * Every result from what has arrived so far, in {@link ResultOrder} (ties, which only copies kept apart can have,
     * go by source rank and then arrival order within the source). Complete once {@link #isComplete()}; before that,
     * what a partial answer holds.
     */
    public synchronized List<Attributes> result() {
        List<Unit> sorted = sortedUnits();
        List<Attributes> records = new ArrayList<>(sorted.size());
        for (Unit unit : sorted) {
            records.add(build(unit));
        }
        return records;
    }

    /**
     * One page of {@link #result()}, see {@link ResultPage#of}. Only the page's results are built: sorting needs just
     * the sort values, so a page of 100 out of 100,000 merges and copies 100 records.
     */
    public synchronized ResultPage<Attributes> page(int offset, OptionalInt limit, int maxResults) {
        ResultPage<Unit> page = ResultPage.of(sortedUnits(), offset, limit, maxResults);
        List<Attributes> records = new ArrayList<>(page.items().size());
        for (Unit unit : page.items()) {
            records.add(build(unit));
        }
        return new ResultPage<>(records, page.matches(), page.offset(), page.remaining());
    }

    /**
     * The results to be, sorted by their sort values. Under MERGE_ALL a result's sort values are those its merge will
     * have: the best-ranked non-empty value of each (none of them is one the merge reconciles).
     */
    private List<Unit> sortedUnits() {
        List<Unit> units = new ArrayList<>();
        if (policy.deduplicationEnabled()) {
            for (Group group : groups.values()) {
                if (policy.strategy() == DeduplicationStrategy.MERGE_ALL) {
                    List<Copy> byRank = group.copiesByRank();
                    units.add(new Unit(group, null, tag -> firstNonEmpty(byRank, tag)));
                } else {
                    Attributes chosen = chosenCopy(group).record;
                    units.add(new Unit(group, null, chosen::getString));
                }
            }
        } else {
            for (Copy copy : copiesInArrivalOrder) {
                units.add(new Unit(null, copy, copy.record::getString));
            }
            // Copies kept apart share their sort values; arrival order across sources is chance, rank is not.
            units.sort((a, b) -> compareRank(a.copy(), b.copy()));
        }
        return ResultOrder.sort(level, units, Unit::values);
    }

    private static String firstNonEmpty(List<Copy> byRank, int tag) {
        for (Copy c : byRank) {
            String value = c.record.getString(tag);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private Attributes build(Unit unit) {
        return unit.group() != null ? build(unit.group()) : ownCopy(unit.copy());
    }

    /** The counts so far, for the query status. */
    public synchronized MergeStatistics statistics() {
        List<SourceStatistics> perSource = new ArrayList<>(ranked.size());
        for (SourceState s : ranked) {
            perSource.add(new SourceStatistics(
                    s.source.id(),
                    s.finished,
                    s.received,
                    s.filteredByRecheck,
                    s.withoutUniqueKey,
                    s.accepted,
                    s.late));
        }
        List<ConflictingCopies> conflicts = new ArrayList<>(conflictingGroups.size());
        for (Group group : conflictingGroups) {
            conflicts.add(new ConflictingCopies(group.key, sourceIdsOf(group)));
        }
        conflicts.sort(Comparator.comparing(ConflictingCopies::uniqueKey));
        int after = policy.deduplicationEnabled() ? groups.size() : acceptedCopies;
        return new MergeStatistics(acceptedCopies, after, perSource, conflicts);
    }

    private SourceState stateOf(String sourceId) {
        SourceState source = sources.get(sourceId);
        if (source == null) {
            throw new IllegalArgumentException("source " + sourceId + " is not part of this query");
        }
        return source;
    }

    private void file(SourceState source, Arrival arrival) {
        Copy copy = new Copy(arrival.record, source, source.accepted++, arrival.completeness);
        acceptedCopies++;
        Group group = groups.get(arrival.key);
        boolean isNew = group == null;
        if (isNew) {
            group = new Group(arrival.key);
            groups.put(arrival.key, group);
        }
        if (group.add(copy, level)) {
            conflictingGroups.add(group);
        }
        if (!policy.deduplicationEnabled()) {
            copiesInArrivalOrder.add(copy);
            finalCopies.add(copy);
        } else if (policy.strategy() == DeduplicationStrategy.FIRST_WINS) {
            fileFirstWins(group, copy, isNew);
        }
    }

    /**
     * Under FIRST_WINS a group is final when every rank above its best copy has finished. The copy's own source is
     * still running, so its rank is at least {@link #finishedPrefix}: the group is final at once exactly when the
     * copy comes from the best-ranked running source.
     */
    private void fileFirstWins(Group group, Copy copy, boolean isNew) {
        if (!isNew) {
            if (group.released || !ranksBefore(copy, group.best)) {
                return;
            }
            pendingByRank.get(group.best.source.rank).remove(group);
        }
        group.best = copy;
        if (copy.source.rank <= finishedPrefix) {
            group.released = true;
            finalGroups.add(group);
        } else {
            pendingByRank.get(copy.source.rank).add(group);
        }
    }

    private void releaseFirstWinsUpTo(int rank) {
        int last = Math.min(rank, ranked.size() - 1);
        for (int r = releasedRanks; r <= last; r++) {
            for (Group group : pendingByRank.get(r)) {
                group.released = true;
                finalGroups.add(group);
            }
            pendingByRank.get(r).clear();
        }
        // Nothing is ever filed as pending at a rank up to finishedPrefix (such groups are final at once), so a
        // released rank stays empty.
        releasedRanks = Math.max(releasedRanks, last + 1);
    }

    private void releaseEverything() {
        if (everythingReleased) {
            return;
        }
        everythingReleased = true;
        finalGroups.addAll(groups.values());
    }

    private Copy chosenCopy(Group group) {
        return switch (policy.strategy()) {
            case FIRST_WINS -> group.best;
            case MOST_COMPLETE -> mostComplete(group);
            case MERGE_ALL -> group.copiesByRank().get(0);
        };
    }

    private static Copy mostComplete(Group group) {
        Copy chosen = null;
        for (Copy c : group.copies) {
            if (chosen == null
                    || c.completeness > chosen.completeness
                    || (c.completeness == chosen.completeness && ranksBefore(c, chosen))) {
                chosen = c;
            }
        }
        return chosen;
    }

    private Attributes build(Group group) {
        Attributes record;
        if (policy.strategy() == DeduplicationStrategy.MERGE_ALL) {
            List<Attributes> copies = new ArrayList<>(group.copies.size());
            for (Copy c : group.copiesByRank()) {
                copies.add(c.record);
            }
            record = RecordMerger.mergeAll(copies);
        } else {
            record = Attributes.copyOf(chosenCopy(group).record);
        }
        return withProvenance(record, group.aeTitles());
    }

    /** A copy kept apart (de-duplication off) names its own source only. */
    private static Attributes ownCopy(Copy copy) {
        return withProvenance(Attributes.copyOf(copy.record), List.of(copy.source.source.aeTitle()));
    }

    private static Attributes withProvenance(Attributes record, List<String> aeTitles) {
        return record.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, aeTitles.toArray(String[]::new));
    }

    private List<String> sourceIdsOf(Group group) {
        List<SourceState> holders = new ArrayList<>();
        for (Copy c : group.copies) {
            if (!holders.contains(c.source)) {
                holders.add(c.source);
            }
        }
        holders.sort(Comparator.comparingInt(s -> s.rank));
        List<String> ids = new ArrayList<>(holders.size());
        for (SourceState s : holders) {
            ids.add(s.source.id());
        }
        return ids;
    }

    private static boolean ranksBefore(Copy a, Copy b) {
        return compareRank(a, b) < 0;
    }

    /** Best-ranked source first; within one source, the earlier arrival. */
    private static int compareRank(Copy a, Copy b) {
        int byRank = Integer.compare(a.source.rank, b.source.rank);
        return byRank != 0 ? byRank : Long.compare(a.sequence, b.sequence);
    }

    private static final class SourceState {
        final MergeSource source;
        final int rank;
        boolean finished;
        int received;
        int filteredByRecheck;
        int withoutUniqueKey;
        int accepted;
        int late;

        SourceState(MergeSource source, int rank) {
            this.source = source;
            this.rank = rank;
        }
    }

    private static final class Copy {
        final Attributes record;
        final SourceState source;
        /** Arrival index within its source. */
        final long sequence;
        /** Under MOST_COMPLETE, see {@link RecordMerger#completeness}; else 0. */
        final int completeness;

        Copy(Attributes record, SourceState source, long sequence, int completeness) {
            this.record = record;
            this.source = source;
            this.sequence = sequence;
            this.completeness = completeness;
        }
    }

    /** The copies of one unique key. */
    private static final class Group {
        final String key;
        final List<Copy> copies = new ArrayList<>(2);
        /** Under FIRST_WINS: the best-ranked copy so far. */
        Copy best;

        boolean released;
        /** The first non-empty Patient ID seen. */
        String patientId;

        boolean conflicting;

        Group(String key) {
            this.key = key;
        }

        /**
         * Adds a copy; true if that makes the group conflicting for the first time. At patient level Patient ID is part
         * of the key, so it cannot conflict. A copy without Patient ID does not conflict: it lacks, not contradicts.
         */
        boolean add(Copy copy, QueryLevel level) {
            copies.add(copy);
            if (level == QueryLevel.PATIENT || conflicting) {
                return false;
            }
            String id = copy.record.getString(Tag.PATIENT_ID);
            if (id == null || id.isEmpty()) {
                return false;
            }
            if (patientId == null) {
                patientId = id;
                return false;
            }
            conflicting = !patientId.equals(id);
            return conflicting;
        }

        List<Copy> copiesByRank() {
            if (copies.size() == 1) {
                return copies;
            }
            List<Copy> byRank = new ArrayList<>(copies);
            byRank.sort(MergeSession::compareRank);
            return byRank;
        }

        List<String> aeTitles() {
            Set<String> aes = new TreeSet<>();
            for (Copy c : copies) {
                aes.add(c.source.source.aeTitle());
            }
            return List.copyOf(aes);
        }
    }

    private record Arrival(Attributes record, String key, int completeness) {}

    /** A result to be: a group's merge, or a copy kept apart; {@code values} gives its sort values. */
    private record Unit(Group group, Copy copy, IntFunction<String> values) {}
}
