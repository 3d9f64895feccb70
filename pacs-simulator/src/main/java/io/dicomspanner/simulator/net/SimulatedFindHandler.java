package io.dicomspanner.simulator.net;

import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindHandler;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.simulator.SimulatedAnswer;
import io.dicomspanner.simulator.SimulatedPacs;
import io.dicomspanner.simulator.config.PacsMode;
import io.dicomspanner.simulator.find.FindResponses;
import io.dicomspanner.simulator.find.FindStatus;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the C-FINDs of one simulated PACS: the search runs on the fleet's answer threads, the first response leaves
 * after the PACS's latency (a timer on the association's event loop, so no thread waits), the matches are streamed as
 * they are found and only while the connection takes them, and a C-CANCEL stops the search. A hanging PACS takes the
 * C-FIND and never answers.
 */
final class SimulatedFindHandler implements CFindHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedFindHandler.class);

    private final SimulatedPacs pacs;
    private final Executor answerThreads;
    private final long matchIntervalNanos;
    private final int responsesPerTurn;

    SimulatedFindHandler(SimulatedPacs pacs, Executor answerThreads, Duration matchInterval, int responsesPerTurn) {
        this.pacs = pacs;
        this.answerThreads = answerThreads;
        this.matchIntervalNanos = matchInterval.toNanos();
        this.responsesPerTurn = responsesPerTurn;
    }

    @Override
    public void onFind(FindRequest request, FindResponder responder) {
        if (pacs.settings().mode() == PacsMode.HANGING) {
            LOG.debug("{}: hanging, C-FIND message {} left unanswered", pacs.name(), request.messageId());
            return;
        }
        long receivedNanos = System.nanoTime();
        InformationModel model = InformationModel.ofFindSopClassUid(request.sopClassUid());
        boolean relationalNegotiated = request.queryOptions().relationalQueries();
        CompletableFuture.runAsync(
                        () -> {
                            SimulatedAnswer answer = pacs.answer(model, request.identifier(), relationalNegotiated);
                            FindResponses responses = answer.responses();
                            request.cancelled().thenRun(responses::cancel);
                            long remaining = answer.latency().toNanos() - (System.nanoTime() - receivedNanos);
                            sendLater(request, responder, responses, Math.max(0, remaining));
                        },
                        answerThreads)
                .exceptionally(e -> {
                    fail(request, responder, e);
                    return null;
                });
    }

    /**
     * Sends responses while the connection is writable; when it is not, continues once it is, so a slow reader bounds
     * the memory an answer takes instead of the responses queueing without end.
     */
    private void send(FindRequest request, FindResponder responder, FindResponses responses) {
        try {
            int sentThisTurn = 0;
            while (!responder.isDone()) {
                if (sentThisTurn == responsesPerTurn) {
                    answerThreads.execute(() -> send(request, responder, responses));
                    return;
                }
                CompletableFuture<Void> writable = responder.writable().toCompletableFuture();
                if (!writable.isDone()) {
                    writable.thenRunAsync(() -> send(request, responder, responses), answerThreads);
                    return;
                }
                if (!responses.hasNext()) {
                    FindStatus end = responses.finalStatus();
                    if (end.hasOffendingElement()) {
                        responder.complete(end.code(), end.errorComment(), end.offendingElement());
                    } else {
                        responder.complete(end.code(), end.errorComment());
                    }
                    LOG.debug(
                            "{}: C-FIND message {} answered, {} matches, final status {}",
                            pacs.name(),
                            request.messageId(),
                            responses.returned(),
                            Status.toString(end.code()));
                    return;
                }
                responder.pending(responses.next(), responses.pendingStatus());
                sentThisTurn++;
                if (matchIntervalNanos > 0) {
                    sendLater(request, responder, responses, matchIntervalNanos);
                    return;
                }
            }
        } catch (RuntimeException e) {
            fail(request, responder, e);
        }
    }

    /** A timer on the association's event loop, so waiting holds no thread; the sending runs on an answer thread. */
    private void sendLater(FindRequest request, FindResponder responder, FindResponses responses, long delayNanos) {
        request.association()
                .executor()
                .schedule(
                        () -> answerThreads.execute(() -> send(request, responder, responses)),
                        delayNanos,
                        TimeUnit.NANOSECONDS);
    }

    private void fail(FindRequest request, FindResponder responder, Throwable e) {
        LOG.error("{}: C-FIND message {} failed", pacs.name(), request.messageId(), e);
        responder.complete(
                Status.UNABLE_TO_PROCESS, "internal error: " + e.getClass().getSimpleName());
    }
}
