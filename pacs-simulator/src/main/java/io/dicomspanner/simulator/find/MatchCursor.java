package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.simulator.data.InstanceRef;
import io.dicomspanner.simulator.data.PacsPatient;
import io.dicomspanner.simulator.data.PacsView;
import io.dicomspanner.simulator.data.SeriesRecord;
import io.dicomspanner.simulator.data.StudyCopy;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The matches of one query on one PACS, found lazily, depth first: each entity is checked against its own level's
 * keys before the search descends into it, so a relational query prunes whole patients or studies early, and the
 * first match is ready long before the last is found.
 *
 * <p>The search starts where the PACS's indexes allow: at the entities named by the lowest unique key with values
 * (UID lists resolve through the fleet's UIDs), else at the patients with the Patient ID, else, in the Study Root
 * model, at the studies in the Study Date range, else at everything. Matches come in that order: UID lists in request
 * order, patients by Patient ID and issuer, a patient's studies oldest first, series and images by number; a scan of
 * studies runs oldest first, undated studies last.
 */
final class MatchCursor implements Iterator<Hit> {
    private static final Pattern DA = Pattern.compile("\\d{8}");

    private final FindPlan plan;
    private final PacsView view;
    private final Deque<Iterator<Hit>> stack = new ArrayDeque<>();
    private Hit next;

    MatchCursor(FindPlan plan, PacsView view) {
        this.plan = plan;
        this.view = view;
        stack.push(start());
    }

    @Override
    public boolean hasNext() {
        while (next == null && !stack.isEmpty()) {
            Iterator<Hit> top = stack.peek();
            if (!top.hasNext()) {
                stack.pop();
                continue;
            }
            Hit hit = top.next();
            if (hit.level == plan.level()) {
                next = hit;
            } else {
                stack.push(children(hit));
            }
        }
        return next != null;
    }

    @Override
    public Hit next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Hit hit = next;
        next = null;
        return hit;
    }

    /** Counts the matches, stopping once there are more than {@code limit}. */
    int countUpTo(int limit) {
        int n = 0;
        while (n <= limit && hasNext()) {
            next();
            n++;
        }
        return n;
    }

    private Iterator<Hit> children(Hit parent) {
        return switch (parent.level) {
            case PATIENT -> lazily(parent.patient.studies(), c -> hit(parent, QueryLevel.STUDY, c, null, 0));
            case STUDY -> lazily(parent.study.series(), s -> hit(parent, QueryLevel.SERIES, parent.study, s, 0));
            case SERIES ->
                lazily(
                        () -> IntStream.rangeClosed(1, parent.study.numberOfInstances(parent.series))
                                .iterator(),
                        n -> hit(parent, QueryLevel.IMAGE, parent.study, parent.series, n));
            case IMAGE -> throw new IllegalStateException("images have no children");
        };
    }

    /** The hits the search starts from; see the class comment for the order of preference. */
    private Iterator<Hit> start() {
        List<QueryLevel> path = plan.path();
        for (int i = path.size() - 1; i >= 0; i--) {
            QueryLevel l = path.get(i);
            if (l == QueryLevel.PATIENT) {
                continue;
            }
            List<String> uids = distinctValues(plan.keys(l), l.uniqueKeyTags()[0]);
            if (!uids.isEmpty()) {
                return lazily(uids, uid -> resolve(l, uid));
            }
        }
        QueryLevel top = path.get(0);
        String patientId = exactPatientId(plan.keys(top));
        if (patientId != null) {
            List<PacsPatient> patients = view.patientsWithId(patientId);
            if (top == QueryLevel.PATIENT) {
                return lazily(patients, p -> hit(null, QueryLevel.PATIENT, p, null, null, 0));
            }
            List<StudyCopy> copies = new ArrayList<>();
            patients.forEach(p -> copies.addAll(p.studies()));
            return lazily(copies, c -> hit(null, QueryLevel.STUDY, c, null, 0));
        }
        if (top == QueryLevel.PATIENT) {
            return lazily(view.patients(), p -> hit(null, QueryLevel.PATIENT, p, null, null, 0));
        }
        long[] days = studyDateRange(plan.keys(QueryLevel.STUDY));
        List<StudyCopy> copies = days != null ? view.studiesDated(days[0], days[1]) : view.studies();
        return lazily(copies, c -> hit(null, QueryLevel.STUDY, c, null, 0));
    }

    /** The entity a UID names on this PACS, checked against the keys of its level and every level above; or null. */
    private Hit resolve(QueryLevel l, String uid) {
        switch (l) {
            case STUDY -> {
                StudyCopy c = view.studyCopy(uid);
                return c == null ? null : chain(QueryLevel.STUDY, c, null, 0);
            }
            case SERIES -> {
                SeriesRecord s = view.series(uid);
                return s == null ? null : chain(QueryLevel.SERIES, s.study().copyOn(view.pacs()), s, 0);
            }
            case IMAGE -> {
                InstanceRef ref = view.instance(uid);
                return ref == null
                        ? null
                        : chain(
                                QueryLevel.IMAGE,
                                ref.series().study().copyOn(view.pacs()),
                                ref.series(),
                                ref.instanceNumber());
            }
            default -> throw new IllegalArgumentException("no UID names a " + l);
        }
    }

    private Hit chain(QueryLevel target, StudyCopy c, SeriesRecord s, int instanceNumber) {
        Hit h = null;
        for (QueryLevel l : plan.path()) {
            h = hit(
                    h,
                    l,
                    c.holder(),
                    c,
                    l.compareTo(QueryLevel.SERIES) >= 0 ? s : null,
                    l == QueryLevel.IMAGE ? instanceNumber : 0);
            if (h == null || l == target) {
                return h;
            }
        }
        return h;
    }

    private Hit hit(Hit parent, QueryLevel l, StudyCopy c, SeriesRecord s, int instanceNumber) {
        return hit(parent, l, c.holder(), c, s, instanceNumber);
    }

    /** The entity as a hit, its record filled with the requested values, if it matches its level's keys; else null. */
    private Hit hit(Hit parent, QueryLevel l, PacsPatient p, StudyCopy c, SeriesRecord s, int instanceNumber) {
        Attributes record = parent == null ? new Attributes() : Attributes.copyOf(parent.record);
        Hit h = new Hit(l, p, c, s, instanceNumber, record);
        for (int tag : plan.filteringTags(l)) {
            AnsweredAttributes.put(record, tag, l, h);
        }
        QueryMatcher matcher = plan.matcher(l);
        if (!matcher.isUniversal() && !matcher.matches(record)) {
            return null;
        }
        // Return keys only cost time (UIDs, counts) once the entity is known to match.
        for (int tag : plan.returnOnlyTags(l)) {
            AnsweredAttributes.put(record, tag, l, h);
        }
        return h;
    }

    private static List<String> distinctValues(Attributes keys, int tag) {
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (String v : keys.getStrings(tag)) {
            if (!v.isEmpty()) {
                values.add(v);
            }
        }
        return new ArrayList<>(values);
    }

    /** The Patient ID key when it names one Patient ID exactly (no wild card, one value), else {@code null}. */
    private static String exactPatientId(Attributes keys) {
        String[] values = keys.getStrings(Tag.PATIENT_ID);
        if (values.length != 1 || values[0].isEmpty() || values[0].indexOf('*') >= 0 || values[0].indexOf('?') >= 0) {
            return null;
        }
        return values[0];
    }

    /**
     * The first and last day (since 1970-01-01) a single Study Date key covers, or {@code null} when the key is absent,
     * universal or in a form the date index does not take, in which case every study is a candidate and the matcher
     * decides.
     */
    private static long[] studyDateRange(Attributes keys) {
        String[] values = keys.getStrings(Tag.STUDY_DATE);
        if (values.length != 1 || keys.vrOf(Tag.STUDY_DATE) != VR.DA) {
            return null;
        }
        String value = values[0];
        int dash = value.indexOf('-');
        String from = dash < 0 ? value : value.substring(0, dash);
        String to = dash < 0 ? value : value.substring(dash + 1);
        Long first = from.isEmpty() ? Long.valueOf(Long.MIN_VALUE) : epochDay(from);
        Long last = to.isEmpty() ? Long.valueOf(Long.MAX_VALUE) : epochDay(to);
        if (first == null || last == null || (from.isEmpty() && to.isEmpty())) {
            return null;
        }
        return new long[] {first, last};
    }

    /** Days since 1970-01-01 of a YYYYMMDD date, or {@code null} for any other form. */
    private static Long epochDay(String da) {
        if (!DA.matcher(da).matches()) {
            return null;
        }
        try {
            return LocalDate.parse(da, DateTimeFormatter.BASIC_ISO_DATE).toEpochDay();
        } catch (DateTimeException e) {
            // The matcher rejects impossible dates before the search starts; this one only loses the index.
            return null;
        }
    }

    private static <E> Iterator<Hit> lazily(Iterable<E> entities, Function<E, Hit> toHit) {
        Iterator<E> source = entities.iterator();
        return new Iterator<>() {
            private Hit pending;

            @Override
            public boolean hasNext() {
                while (pending == null && source.hasNext()) {
                    pending = toHit.apply(source.next());
                }
                return pending != null;
            }

            @Override
            public Hit next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Hit h = pending;
                pending = null;
                return h;
            }
        };
    }
}
