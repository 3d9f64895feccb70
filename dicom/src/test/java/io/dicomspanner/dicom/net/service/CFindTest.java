package io.dicomspanner.dicom.net.service;

import static io.dicomspanner.dicom.net.NetTestSupport.FAST;
import static io.dicomspanner.dicom.net.NetTestSupport.await;
import static io.dicomspanner.dicom.net.NetTestSupport.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationAbortedException;
import io.dicomspanner.dicom.net.Commands;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomNetworkException;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.DicomTimeoutException;
import io.dicomspanner.dicom.net.DimseMessage;
import io.dicomspanner.dicom.net.DimseResponseHandler;
import io.dicomspanner.dicom.net.Priority;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Our C-FIND SCU against our C-FIND SCP, over real sockets on loopback. */
class CFindTest {
    final ExecutorService worker = Executors.newFixedThreadPool(4);
    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<FindRequest> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            c.close();
        }
        worker.shutdownNow();
    }

    static Attributes studyKeys() {
        return new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe*")
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI)
                .setNull(Tag.STUDY_DATE, VR.DA);
    }

    static Attributes match(int i) {
        return new Attributes()
                .setString(Tag.STUDY_DATE, VR.DA, "2024010" + (i % 10))
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe^Jane^" + i)
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.2." + i);
    }

    /** A handler answering with {@code n} matches produced on another thread. */
    CFindHandler producing(int n) {
        return (request, responder) -> {
            requests.add(request);
            worker.execute(() -> {
                for (int i = 0; i < n; i++) {
                    responder.pending(match(i));
                }
                responder.complete();
            });
        };
    }

    Association connect(CFindHandler handler) throws Exception {
        return connect(handler, FAST, FAST, QueryOptions.NONE);
    }

    Association connect(CFindHandler handler, DicomSettings scpSettings, DicomSettings scuSettings, QueryOptions opts)
            throws Exception {
        return connect(
                new DicomServiceRegistry()
                        .register(new CEchoScp())
                        .register(new CFindScp(handler, Set.copyOf(SopClasses.QUERY_FIND), opts)),
                scpSettings,
                scuSettings);
    }

    Association connect(DicomServiceRegistry registry, DicomSettings scpSettings, DicomSettings scuSettings)
            throws Exception {
        DicomServer server = DicomServer.builder()
                .settings(scpSettings)
                .bind("127.0.0.1", 0)
                .requestHandler(registry)
                .start();
        closeables.add(server);
        DicomClient client = new DicomClient(scuSettings);
        closeables.add(client);
        return await(client.connect(new DicomPeer("127.0.0.1", server.port(), "FINDSCP", "FINDSCU", false)));
    }

    @Test
    void pendingMatchesProducedOnAnotherThreadStreamToTheListenerInOrderThenSuccess() throws Exception {
        Association as = connect(producing(25));
        List<Attributes> received = new ArrayList<>();
        FindOperation op = CFindScu.find(
                as, FindQuery.studyRoot(studyKeys()).withPriority(Priority.HIGH), (o, id) -> received.add(id));

        FindOutcome outcome = await(op.completion());

        assertThat(outcome).isEqualTo(new FindOutcome(Status.SUCCESS, null, 25, false));
        List<Attributes> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            expected.add(match(i));
        }
        assertThat(received).containsExactlyElementsOf(expected);
        FindRequest rq = requests.get(0);
        assertThat(rq.identifier()).isEqualTo(studyKeys());
        assertThat(rq.sopClassUid()).isEqualTo(SopClasses.STUDY_ROOT_QUERY_FIND);
        assertThat(rq.queryRetrieveLevel()).isEqualTo("STUDY");
        assertThat(rq.priority()).isEqualTo(Priority.HIGH);
        assertThat(rq.messageId()).isEqualTo(op.messageId());
        assertThat(rq.callingAeTitle()).isEqualTo("FINDSCU");
        assertThat(rq.calledAeTitle()).isEqualTo("FINDSCP");
    }

    @Test
    void findAllCollectsEveryMatchOnPatientRoot() throws Exception {
        Association as = connect((request, responder) -> {
            responder.pending(new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                    .setString(Tag.PATIENT_ID, VR.LO, "P1"));
            responder.pending(new Attributes()
                    .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                    .setString(Tag.PATIENT_ID, VR.LO, "P2"));
            responder.complete();
        });
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setNull(Tag.PATIENT_ID, VR.LO);

        FindResult result = await(CFindScu.findAll(as, FindQuery.patientRoot(keys)));

        assertThat(result.status()).isEqualTo(Status.SUCCESS);
        assertThat(result.matches())
                .extracting(a -> a.getString(Tag.PATIENT_ID))
                .containsExactly("P1", "P2");
    }

    @Test
    void cancelMidStreamEndsWithCancelStatusAndTheHandlerIsTold() throws Exception {
        CompletableFuture<FindResponder> responderAfterCancel = new CompletableFuture<>();
        Association as = connect((request, responder) -> {
            requests.add(request);
            responder.pending(match(0));
            request.cancelled()
                    .thenRunAsync(
                            () -> {
                                responder.pending(match(1)); // too late: ignored
                                responder.complete();
                                responderAfterCancel.complete(responder);
                            },
                            worker);
        });
        List<Attributes> received = new ArrayList<>();
        FindOperation op = CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {
            received.add(id);
            o.cancel();
        });

        FindOutcome outcome = await(op.completion());

        assertThat(outcome).isEqualTo(new FindOutcome(Status.CANCEL, null, 1, true));
        assertThat(received).containsExactly(match(0));
        assertThat(requests.get(0).isCancelled()).isTrue();
        assertThat(await(responderAfterCancel).isDone()).isTrue();
        assertThat(await(CEchoScu.echo(as)))
                .as("the association is still usable")
                .isEqualTo(Status.SUCCESS);
    }

    @Test
    void maxMatchesSendsCancelAfterTheLimit() throws Exception {
        Association as = connect((request, responder) -> {
            for (int i = 0; i < 5; i++) {
                responder.pending(match(i));
            }
            // the rest would come only if the SCU did not cancel
            request.cancelled().thenRun(responder::complete);
        });

        FindResult result =
                await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys()).withMaxMatches(3)));

        assertThat(result.outcome()).isEqualTo(new FindOutcome(Status.CANCEL, null, 3, true));
        assertThat(result.matches()).containsExactly(match(0), match(1), match(2));
    }

    @Test
    void identifierThatDoesNotParseIsAnsweredUnableToProcessAndTheAssociationSurvives() throws Exception {
        DicomSettings implicitOnly = FAST.toBuilder()
                .transferSyntaxes(List.of(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))
                .build();
        Association as = connect(producing(1), FAST, implicitOnly, QueryOptions.NONE);
        // RequestAttributesSequence (0040,0275) is SQ in the dictionary; in Implicit VR these UN bytes become its
        // value: an item of undefined length holding a PatientName that claims 2 GiB, which does not parse
        Attributes broken = studyKeys()
                .setBytes(0x00400275, VR.UN, HexFormat.of().parseHex("feff00e0ffffffff" + "10001000ffffff7f"));

        FindOutcome outcome;
        try (LogCapture log = LogCapture.of(CFindScp.class)) {
            outcome = await(CFindScu.find(as, FindQuery.studyRoot(broken), (o, id) -> {})
                    .completion());
            assertThat(log.lines())
                    .singleElement()
                    .asString()
                    .startsWith("WARN FINDSCU->FINDSCP#")
                    .contains(": C-FIND identifier (message 1) does not parse: ");
        }

        assertThat(outcome.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(outcome.errorComment()).startsWith("identifier does not parse: ");
        assertThat(requests).isEmpty();
        assertThat(await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys()))).matches())
                .containsExactly(match(0));
    }

    @Test
    void missingQueryRetrieveLevelIsIdentifierDoesNotMatchSopClassNamingTheElement() throws Exception {
        Association as = connect(producing(1));
        Attributes keys = studyKeys();
        keys.remove(Tag.QUERY_RETRIEVE_LEVEL);
        List<DimseMessage> responses = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();

        as.invoke(
                SopClasses.STUDY_ROOT_QUERY_FIND,
                Commands.findRq(SopClasses.STUDY_ROOT_QUERY_FIND, Priority.MEDIUM),
                keys,
                collecting(responses, done));
        await(done);

        DimseMessage rsp = responses.get(0);
        assertThat(rsp.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(rsp.errorComment()).isEqualTo("QueryRetrieveLevel (0008,0052) missing");
        assertThat(rsp.command().getString(Tag.OFFENDING_ELEMENT)).isEqualTo("00080052");
        assertThat(rsp.hasDataset()).isFalse();
    }

    /** Found by IdentifierTranslatorFuzzTest: a level sent as explicit VR UN failed the SCP with an internal error. */
    @Test
    void queryRetrieveLevelDeclaredAsUnIsRefusedWithA900NamingTheVr() throws Exception {
        Association as = connect(producing(1));
        Attributes keys =
                studyKeys().setBytes(Tag.QUERY_RETRIEVE_LEVEL, VR.UN, "STUDY ".getBytes(StandardCharsets.US_ASCII));
        List<DimseMessage> responses = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();

        as.invoke(
                SopClasses.STUDY_ROOT_QUERY_FIND,
                Commands.findRq(SopClasses.STUDY_ROOT_QUERY_FIND, Priority.MEDIUM),
                keys,
                collecting(responses, done));
        await(done);

        DimseMessage rsp = responses.get(0);
        assertThat(rsp.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(rsp.errorComment()).isEqualTo("QueryRetrieveLevel (0008,0052) has VR UN, not CS");
        assertThat(rsp.command().getString(Tag.OFFENDING_ELEMENT)).isEqualTo("00080052");
        assertThat(requests).isEmpty();
    }

    @Test
    void patientLevelOnStudyRootIsRefusedWithA900() throws Exception {
        Association as = connect(producing(1));
        Attributes keys = studyKeys().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT");

        FindOutcome outcome = await(
                CFindScu.find(as, FindQuery.studyRoot(keys), (o, id) -> {}).completion());

        assertThat(outcome.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(outcome.errorComment()).isEqualTo("QueryRetrieveLevel PATIENT is not a level of Study Root");
    }

    @Test
    void theHandlerIsToldOfACFindTheScpRefusedItself() throws Exception {
        List<String> refusals = new CopyOnWriteArrayList<>();
        CFindHandler counting = new CFindHandler() {
            @Override
            public void onFind(FindRequest request, FindResponder responder) {
                responder.complete(Status.SUCCESS, null);
            }

            @Override
            public void onRefused(String sopClassUid, int status) {
                refusals.add(sopClassUid + " " + Integer.toHexString(status));
            }
        };
        Association as = connect(counting);
        Attributes keys = studyKeys().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT");

        FindOutcome refused = await(
                CFindScu.find(as, FindQuery.studyRoot(keys), (o, id) -> {}).completion());
        FindOutcome answered = await(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(refused.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
        assertThat(answered.status()).isEqualTo(Status.SUCCESS);
        assertThat(refusals).containsExactly(SopClasses.STUDY_ROOT_QUERY_FIND + " a900");
    }

    @Test
    void affectedSopClassOtherThanTheContextsIsRefusedSopClassNotSupported() throws Exception {
        Association as = connect(producing(1));
        List<DimseMessage> responses = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();

        as.invoke(
                SopClasses.STUDY_ROOT_QUERY_FIND,
                Commands.findRq(SopClasses.PATIENT_ROOT_QUERY_FIND, Priority.MEDIUM),
                studyKeys(),
                collecting(responses, done));
        await(done);

        assertThat(responses).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.SOP_CLASS_NOT_SUPPORTED);
            assertThat(r.affectedSopClassUid()).isEqualTo(SopClasses.PATIENT_ROOT_QUERY_FIND);
        });
        assertThat(requests).isEmpty();
    }

    @Test
    void sopClassTheScpDidNotAcceptFailsWithoutSendingAnything() throws Exception {
        Association as = connect(
                new DicomServiceRegistry()
                        .register(new CFindScp(
                                producing(1), Set.of(SopClasses.STUDY_ROOT_QUERY_FIND), QueryOptions.NONE)),
                FAST,
                FAST);
        Attributes keys = new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT");

        Throwable failure = failureOf(
                CFindScu.find(as, FindQuery.patientRoot(keys), (o, id) -> {}).completion());

        assertThat(failure)
                .isInstanceOf(DicomNetworkException.class)
                .hasMessageStartingWith("no presentation context accepted for Patient Root Query/Retrieve - FIND");
        assertThat(requests).isEmpty();
        assertThat(as.isEstablished()).isTrue();
    }

    @Test
    void failureStatusAndErrorCommentFromTheHandlerReachTheScu() throws Exception {
        Association as = connect((request, responder) ->
                responder.complete(Status.OUT_OF_RESOURCES, "too many matches, narrow the query"));

        FindOutcome outcome = await(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(outcome)
                .isEqualTo(new FindOutcome(Status.OUT_OF_RESOURCES, "too many matches, narrow the query", 0, false));
        assertThat(outcome.isFailure()).isTrue();
    }

    @Test
    void handlerThatThrowsIsAnsweredUnableToProcess() throws Exception {
        Association as = connect((request, responder) -> {
            throw new IllegalStateException("database down");
        });

        FindOutcome outcome = await(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(outcome.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
        assertThat(outcome.errorComment()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void operationTimeoutSendsCancelThenFailsWithTimeout() throws Exception {
        Association as = connect((request, responder) -> {
            requests.add(request);
            responder.pending(match(0));
            request.cancelled().thenRun(responder::complete);
        });
        FindQuery query = FindQuery.studyRoot(studyKeys()).withTimeouts(Duration.ofMillis(300), null);

        Throwable failure = failureOf(CFindScu.find(as, query, (o, id) -> {}).completion());

        assertThat(failure)
                .isInstanceOf(DicomTimeoutException.class)
                .hasMessage("C-FIND did not complete within 300 ms");
        assertThat(requests.get(0).isCancelled()).isTrue();
        assertThat(as.isEstablished())
                .as("the peer answered the cancel: association kept")
                .isTrue();
    }

    @Test
    void peerThatIgnoresCancelIsAbortedAfterTheCancelTimeout() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        DicomService silent = new DicomService() {
            @Override
            public Set<String> sopClasses() {
                return Set.of(SopClasses.STUDY_ROOT_QUERY_FIND);
            }

            @Override
            public void onRequest(Association a, DimseMessage request, CompletableFuture<Void> cancelled) {
                received.countDown();
            }
        };
        DicomSettings scu = FAST.toBuilder()
                .responseTimeout(Duration.ofMillis(300))
                .cancelTimeout(Duration.ofMillis(300))
                .build();
        Association as = connect(new DicomServiceRegistry().register(silent), FAST, scu);

        Throwable failure = failureOf(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(received.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(failure).isInstanceOf(DicomTimeoutException.class).hasMessage("no C-FIND response for 300 ms");
        await(as.closeFuture());
        assertThat(as.isEstablished()).isFalse();
    }

    @Test
    void identifierOnTheFinalSuccessResponseIsToleratedAndNotAMatch() throws Exception {
        DicomService sloppy = new DicomService() {
            @Override
            public Set<String> sopClasses() {
                return Set.of(SopClasses.STUDY_ROOT_QUERY_FIND);
            }

            @Override
            public void onRequest(Association a, DimseMessage request, CompletableFuture<Void> cancelled) {
                a.respond(request, Commands.response(request.command(), Status.PENDING, true, null), match(0));
                a.respond(request, Commands.response(request.command(), Status.SUCCESS, true, null), match(1));
            }
        };
        Association as = connect(new DicomServiceRegistry().register(sloppy), FAST, FAST);

        FindResult result = await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys())));

        assertThat(result.outcome()).isEqualTo(new FindOutcome(Status.SUCCESS, null, 1, false));
        assertThat(result.matches()).containsExactly(match(0));
    }

    @Test
    void relationalQueriesAreNegotiatedWhenTheScpSupportsThem() throws Exception {
        Association as = connect(producing(0), FAST, FAST, QueryOptions.RELATIONAL);

        await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys())));

        assertThat(QueryOptions.negotiated(as, SopClasses.STUDY_ROOT_QUERY_FIND))
                .isEqualTo(QueryOptions.RELATIONAL);
        assertThat(requests.get(0).queryOptions()).isEqualTo(QueryOptions.RELATIONAL);
    }

    @Test
    void relationalQueriesAreNotAgreedWhenTheScpLacksThem() throws Exception {
        Association as = connect(producing(0));

        await(CFindScu.findAll(as, FindQuery.studyRoot(studyKeys())));

        assertThat(QueryOptions.negotiated(as, SopClasses.STUDY_ROOT_QUERY_FIND))
                .isEqualTo(QueryOptions.NONE);
        assertThat(requests.get(0).queryOptions()).isEqualTo(QueryOptions.NONE);
    }

    @Test
    void identifiersLargerThanTheMaximumPduAreFragmentedAndReassembled() throws Exception {
        DicomSettings small = FAST.toBuilder()
                .maxPduLengthReceive(4096)
                .maxPduLengthSend(4096)
                .build();
        String longText = "x".repeat(50_000);
        Association as = connect(
                (request, responder) -> {
                    requests.add(request);
                    responder.pending(match(0).setString(0x00324000, VR.LT, longText)); // StudyComments
                    responder.complete();
                },
                small,
                small,
                QueryOptions.NONE);
        Attributes keys = studyKeys().setString(0x00081030, VR.LO, "y".repeat(10_000));

        FindResult result = await(CFindScu.findAll(as, FindQuery.studyRoot(keys)));

        assertThat(result.matches()).containsExactly(match(0).setString(0x00324000, VR.LT, longText));
        assertThat(requests.get(0).identifier()).isEqualTo(keys);
    }

    @Test
    void responseLargerThanTheMaximumMessageSizeAbortsTheAssociation() throws Exception {
        DicomSettings scu = FAST.toBuilder().maxMessageSize(100_000).build();
        Association as = connect(
                (request, responder) -> {
                    responder.pending(match(0).setBytes(0x00091010, VR.OB, new byte[200_000]));
                    responder.complete();
                },
                FAST,
                scu,
                QueryOptions.NONE);

        Throwable failure = failureOf(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(failure)
                .isInstanceOf(AssociationAbortedException.class)
                .hasMessageStartingWith("DIMSE message exceeds the maximum message size of 100000 bytes");
        await(as.closeFuture());
    }

    @Test
    void slowConsumerPausesReadingAndTheScpWaitsForWritability() throws Exception {
        CompletableFuture<Void> scpBlocked = new CompletableFuture<>();
        AtomicInteger sent = new AtomicInteger();
        Attributes big = match(0).setString(0x00324000, VR.LT, "z".repeat(20_000));
        DicomSettings scp = FAST.toBuilder().writeBufferHighWaterMark(64 * 1024).build();
        Association as = connect(
                (request, responder) -> worker.execute(() -> {
                    // produce until the connection pushes back, then 100 more
                    for (int afterBlocked = 0; afterBlocked < 100; ) {
                        CompletableFuture<Void> w = responder.writable().toCompletableFuture();
                        if (!w.isDone()) {
                            scpBlocked.complete(null);
                        }
                        w.join();
                        responder.pending(big);
                        sent.incrementAndGet();
                        if (scpBlocked.isDone()) {
                            afterBlocked++;
                        }
                    }
                    responder.complete();
                }),
                scp,
                FAST,
                QueryOptions.NONE);
        List<Attributes> received = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> paused = new CompletableFuture<>();
        FindOperation op = CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {
            if (received.isEmpty()) {
                o.setReading(false);
                paused.complete(null);
            }
            received.add(id);
        });

        await(paused);
        await(scpBlocked);
        assertThat(op.completion()).isNotDone();
        op.setReading(true);

        assertThat(await(op.completion()).matches()).isEqualTo(sent.get());
        assertThat(received).hasSize(sent.get()).allSatisfy(a -> assertThat(a).isEqualTo(big));
    }

    @Test
    void asynchronousOperationsWindowRunsSeveralFindsAtOnceWithoutInterleavingTheirMessages() throws Exception {
        CountDownLatch allArrived = new CountDownLatch(4);
        DicomSettings scp = FAST.toBuilder()
                .maxOperationsPerformed(4)
                .maxPduLengthSend(4096)
                .build();
        DicomSettings scu = FAST.toBuilder().maxOperationsInvoked(8).build();
        // each response spans several PDUs; four threads answer at once, so interleaved messages would abort
        String text = "w".repeat(30_000);
        Association as = connect(
                (request, responder) -> {
                    allArrived.countDown();
                    worker.execute(() -> {
                        try {
                            assertThat(allArrived.await(5, TimeUnit.SECONDS)).isTrue();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        for (int i = 0; i < 20; i++) {
                            responder.pending(match(request.messageId()).setString(0x00324000, VR.LT, text));
                        }
                        responder.complete();
                    });
                },
                scp,
                scu,
                QueryOptions.NONE);
        assertThat(as.maxOperationsInvoked()).isEqualTo(4);

        List<FindOperation> finds = new ArrayList<>();
        List<List<Attributes>> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<Attributes> mine = new CopyOnWriteArrayList<>();
            received.add(mine);
            finds.add(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> mine.add(id)));
        }

        for (int i = 0; i < 4; i++) {
            assertThat(await(finds.get(i).completion()).status()).isEqualTo(Status.SUCCESS);
            Attributes expected = match(finds.get(i).messageId()).setString(0x00324000, VR.LT, text);
            assertThat(received.get(i)).hasSize(20).containsOnly(expected);
        }
    }

    @Test
    void aSecondFindBeyondTheWindowOfOneFailsAtOnce() throws Exception {
        CompletableFuture<FindResponder> first = new CompletableFuture<>();
        Association as = connect((request, responder) -> first.complete(responder));
        FindOperation running = CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {});
        await(first);

        Throwable failure = failureOf(CFindScu.find(as, FindQuery.studyRoot(studyKeys()), (o, id) -> {})
                .completion());

        assertThat(failure)
                .hasMessageContaining("asynchronous operations window of 1")
                .hasMessageContaining("is full");
        await(first).complete();
        assertThat(await(running.completion()).status()).isEqualTo(Status.SUCCESS);
    }

    private static DimseResponseHandler collecting(List<DimseMessage> responses, CompletableFuture<Void> done) {
        return new DimseResponseHandler() {
            @Override
            public void onResponse(DimseMessage response) {
                responses.add(response);
                if (!Status.isPending(response.status())) {
                    done.complete(null);
                }
            }

            @Override
            public void onFailure(Throwable cause) {
                done.completeExceptionally(cause);
            }
        };
    }
}
