package io.dicomspanner.worker.testing;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.QueryLevel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A C-FIND SCP on our own {@code dicom} server for tests: answers from records kept per level with the DICOM matching
 * rules, returning the requested keys; records every request identifier and counts associations. Baseline (not
 * relational) unless told otherwise: a request without the unique keys of the levels above is refused with A900.
 */
public final class TestPacs implements AutoCloseable {

    /** What the PACS does with the next C-FINDs. */
    public enum Mode {
        ANSWER,
        /** Final status A700 (out of resources), no matches. */
        FAIL_A700,
        /** Sends its first match, then waits for C-CANCEL. */
        HANG_AFTER_FIRST,
        /** Sends {@link #pauseAfter} matches, then waits until {@link #release()}. */
        PAUSE
    }

    private final DicomServer server;
    private final boolean patientRoot;
    private final List<Attributes> records = new CopyOnWriteArrayList<>();
    private final List<Attributes> requests = new CopyOnWriteArrayList<>();
    private final List<String> requestSopClasses = new CopyOnWriteArrayList<>();
    private final AtomicInteger associations = new AtomicInteger();
    /** Accepted associations not yet seen ended (released, aborted or closed); pruned when counting. */
    private final Set<Association> open = ConcurrentHashMap.newKeySet();

    private final AtomicInteger mostOpen = new AtomicInteger();
    /** Associations still to reject, each with {@link #rejection}; and those rejected so far. */
    private final AtomicInteger toReject = new AtomicInteger();

    private final AtomicInteger rejected = new AtomicInteger();
    private volatile AAssociateRj rejection;
    private final CountDownLatch firstRequest = new CountDownLatch(1);
    private volatile CountDownLatch paused = new CountDownLatch(1);
    private volatile Mode mode = Mode.ANSWER;
    private volatile int pauseAfter = 1;
    private volatile Set<Integer> ignored = Set.of();
    private volatile Set<Integer> withheld = Set.of();
    private volatile MatchOptions options = MatchOptions.SCP;

    /**
     * @param sopClasses the C-FIND models it accepts
     * @param relational whether it negotiates (and honours) relational queries
     */
    public TestPacs(Set<String> sopClasses, boolean relational) throws IOException {
        this(sopClasses, relational, null);
    }

    /**
     * @param tls the server's TLS (its certificate, the client certificates it requires), or {@code null} for none
     */
    public TestPacs(Set<String> sopClasses, boolean relational, TlsSettings tls) throws IOException {
        this.patientRoot = !sopClasses.contains(io.dicomspanner.dicom.net.SopClasses.STUDY_ROOT_QUERY_FIND);
        QueryOptions options = relational ? QueryOptions.RELATIONAL : QueryOptions.NONE;
        server = DicomServer.builder()
                .settings(DicomSettings.defaults())
                .bind("127.0.0.1", 0)
                .tls(tls)
                .filter((request, remote) -> reject())
                .onAssociation(this::accepted)
                .requestHandler(new DicomServiceRegistry()
                        .register(new CEchoScp())
                        .register(new CFindScp(this::onFind, sopClasses, options)))
                .start();
    }

    public int port() {
        return server.port();
    }

    /** A record at a level; it holds the unique keys of the levels above it, as a PACS database would. */
    public TestPacs add(QueryLevel level, Attributes record) {
        Attributes r = Attributes.copyOf(record);
        r.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level.code());
        records.add(r);
        return this;
    }

    /** Matches as if the identifier had no keys of these PS3.6 keywords (their values still returned). */
    public TestPacs ignoring(String... keywords) {
        this.ignored = tags(keywords);
        return this;
    }

    /** Matches person names regardless of case, as Orthanc does. */
    public TestPacs caseInsensitivePersonNames() {
        this.options = MatchOptions.SCP.withCaseInsensitivePersonName(true);
        return this;
    }

    /** Never returns a value for the attributes of these PS3.6 keywords (and does not match on them). */
    public TestPacs withholding(String... keywords) {
        this.withheld = tags(keywords);
        return this;
    }

    private static Set<Integer> tags(String... keywords) {
        Set<Integer> tags = new java.util.HashSet<>();
        for (String keyword : keywords) {
            tags.add(io.dicomspanner.dicom.data.ElementDictionary.standard()
                    .entryOf(keyword)
                    .tag());
        }
        return Set.copyOf(tags);
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Pauses each C-FIND after {@code matches} matches until {@link #release()}. */
    public void pauseAfter(int matches) {
        this.pauseAfter = matches;
        this.mode = Mode.PAUSE;
    }

    /** Lets a C-FIND paused in {@link Mode#PAUSE_AFTER_FIRST} go on; later ones pause again only after a new mode. */
    public void release() {
        paused.countDown();
    }

    public List<Attributes> requests() {
        return List.copyOf(requests);
    }

    public List<String> requestSopClasses() {
        return List.copyOf(requestSopClasses);
    }

    public int associations() {
        return associations.get();
    }

    /** Associations established now, as a PACS with a licence limit counts them. */
    public int openAssociations() {
        synchronized (open) {
            open.removeIf(a -> !a.isEstablished());
            return open.size();
        }
    }

    /** Rejects the next {@code count} associations with {@code reject}, then accepts again. */
    public void rejectNext(int count, AAssociateRj reject) {
        this.rejection = reject;
        toReject.set(count);
    }

    /** Associations rejected by {@link #rejectNext}. */
    public int rejected() {
        return rejected.get();
    }

    private Optional<AAssociateRj> reject() {
        if (toReject.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
            return Optional.empty();
        }
        rejected.incrementAndGet();
        return Optional.of(rejection);
    }

    /** The most associations that were established at once. */
    public int mostOpenAtOnce() {
        return mostOpen.get();
    }

    private void accepted(Association association) {
        associations.incrementAndGet();
        synchronized (open) {
            open.removeIf(a -> !a.isEstablished());
            open.add(association);
            mostOpen.accumulateAndGet(open.size(), Math::max);
        }
        association.closeFuture().whenComplete((x, e) -> open.remove(association));
    }

    public boolean awaitFirstRequest(long seconds) throws InterruptedException {
        return firstRequest.await(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    private void onFind(FindRequest request, FindResponder responder) {
        Attributes identifier = request.identifier();
        requests.add(Attributes.copyOf(identifier));
        requestSopClasses.add(request.sopClassUid());
        firstRequest.countDown();
        if (mode == Mode.FAIL_A700) {
            responder.complete(Status.OUT_OF_RESOURCES, "too many matches");
            return;
        }
        QueryLevel level = QueryLevel.valueOf(request.queryRetrieveLevel());
        if (!request.queryOptions().relationalQueries() && !hasUpperUniqueKeys(identifier, level)) {
            responder.complete(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS, "baseline hierarchical only");
            return;
        }
        Attributes applied = Attributes.copyOf(identifier);
        ignored.forEach(applied::remove);
        withheld.forEach(applied::remove);
        QueryMatcher matcher = QueryMatcher.compile(applied, options);
        List<Attributes> answers = new ArrayList<>();
        for (Attributes r : records) {
            if (level.code().equals(r.getString(Tag.QUERY_RETRIEVE_LEVEL)) && matcher.matches(r)) {
                Attributes answer = new Attributes();
                for (int i = 0; i < identifier.size(); i++) {
                    if (!withheld.contains(identifier.tagAt(i))) {
                        answer.copyFrom(r, identifier.tagAt(i));
                    }
                }
                answers.add(answer);
            }
        }
        Mode m = mode;
        if (m == Mode.HANG_AFTER_FIRST && !answers.isEmpty()) {
            responder.pending(answers.get(0));
            return; // the SCP answers Cancel itself on C-CANCEL
        }
        if (m == Mode.PAUSE && answers.size() > pauseAfter) {
            answers.subList(0, pauseAfter).forEach(responder::pending);
            CountDownLatch gate = paused;
            Thread resume = new Thread(() -> {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                answers.subList(pauseAfter, answers.size()).forEach(responder::pending);
                responder.complete();
            });
            resume.setDaemon(true);
            resume.start();
            return;
        }
        answers.forEach(responder::pending);
        responder.complete();
    }

    private boolean hasUpperUniqueKeys(Attributes identifier, QueryLevel level) {
        for (QueryLevel upper : QueryLevel.values()) {
            if (!upper.isAbove(level) || (upper == QueryLevel.PATIENT && !patientRoot)) {
                continue;
            }
            String v = identifier.getString(upper.uniqueKeyTags()[0]);
            if (v == null || v.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
