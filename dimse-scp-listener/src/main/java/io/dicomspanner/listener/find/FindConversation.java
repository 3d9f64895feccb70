package io.dicomspanner.listener.find;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindResponder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One C-FIND between its span request and its final response: turns the coordinator's answers into Pending responses
 * (in order, waiting for the connection to drain so a slow SCU does not grow the send queue without bound) and the
 * final answer into the final status. Ends exactly once: by the last answer, a refusal, the deadline, or C-CANCEL.
 *
 * <p>A source that could not apply a matching key (an answer's {@code notes}) makes every Pending response sent once
 * that is known FF01, as PS3.4 C.4.1.1.4 has it for keys not supported for matching: its matches may be a superset.
 * The final Success cannot say more (PS3.7 C.1: a Success carries no Error Comment), so the sources and keys are
 * logged and the C-FIND counted instead.
 */
final class FindConversation {

    private static final Logger log = LoggerFactory.getLogger(FindConversation.class);

    /** Matches sent between two looks at the connection's write buffer. */
    private static final int RESPONSES_PER_WRITE_CHECK = 32;

    private final String queryId;
    private final FindResponder responder;
    private final ResponseCharacterSet characterSet;
    private final int pendingStatus;
    private final IntConsumer onEnd;
    private final Runnable onUnverified;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Set once an answer noted a source with unverified keys: the Pending responses sent from then on are FF01. */
    private volatile boolean unverified;

    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    /**
     * @param pendingStatus FF00, or FF01 when some keys of the request were not supported
     * @param onEnd told once when the conversation ends, whichever way, with the final status (FE00 on C-CANCEL)
     * @param onUnverified told when the C-FIND ends with Success and matches a source could not verify
     */
    FindConversation(
            String queryId,
            FindResponder responder,
            ResponseCharacterSet characterSet,
            int pendingStatus,
            IntConsumer onEnd,
            Runnable onUnverified) {
        this.queryId = queryId;
        this.responder = responder;
        this.characterSet = characterSet;
        this.pendingStatus = pendingStatus;
        this.onEnd = onEnd;
        this.onUnverified = onUnverified;
    }

    /** An answer from the coordinator: its matches become Pending responses; the last one ends the C-FIND. */
    synchronized void accept(SpanAnswer answer) {
        if (ended.get()) {
            return;
        }
        if (!answer.notes().isEmpty()) {
            unverified = true;
        }
        List<byte[]> matches = answer.matches() == null ? List.of() : answer.matches();
        for (int from = 0; from < matches.size(); from += RESPONSES_PER_WRITE_CHECK) {
            List<byte[]> chunk = matches.subList(from, Math.min(matches.size(), from + RESPONSES_PER_WRITE_CHECK));
            sending = sending.thenCompose(v -> responder.writable()).thenRun(() -> sendPending(chunk));
        }
        if (answer.last()) {
            sending = sending.thenRun(() -> finish(answer));
        }
        sending = sending.exceptionally(e -> {
            log.error("Responses of query {} not sent", queryId, e);
            end(Status.UNABLE_TO_PROCESS, "internal error while answering");
            return null;
        });
    }

    private void sendPending(List<byte[]> chunk) {
        for (byte[] match : chunk) {
            if (responder.isDone()) {
                return;
            }
            Attributes record;
            try {
                record = DicomReader.read(match, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            } catch (DicomParseException e) {
                log.warn("Unreadable match of query {} dropped: {}", queryId, e.getMessage());
                continue;
            }
            responder.pending(characterSet.encode(record), unverified ? Status.PENDING_WARNING : pendingStatus);
        }
    }

    private void finish(SpanAnswer answer) {
        switch (answer.state()) {
            case COMPLETE, PARTIAL -> {
                if (end(Status.SUCCESS, null) && !answer.notes().isEmpty()) {
                    log.info(
                            "Query {} answered with matches not verified against every matching key: {}",
                            queryId,
                            unverifiedSummary(answer));
                    onUnverified.run();
                }
            }
            case CANCELLED -> end(Status.CANCEL, null);
            case TIMED_OUT -> failed(answer, "deadline passed: " + failureSummary(answer));
            default -> failed(answer, failureSummary(answer));
        }
    }

    private void failed(SpanAnswer answer, String comment) {
        log.info("Query {} ended {}: {}", queryId, answer.state(), comment);
        end(Status.UNABLE_TO_PROCESS, comment);
    }

    /** The broker did not take the span request: the spanner cannot take more work now. */
    void refused(String why) {
        end(Status.OUT_OF_RESOURCES, why);
    }

    /** No last answer before the deadline (no coordinator took the request, or it stalled). */
    void deadlinePassed() {
        if (end(Status.UNABLE_TO_PROCESS, "no answer from the spanner before the deadline")) {
            log.warn("Query {} got no final answer before its deadline", queryId);
        }
    }

    /** C-CANCEL, or the association ended: the SCP has answered FE00 already (or there is nobody to answer). */
    boolean cancelled() {
        return end(-1, null);
    }

    boolean isEnded() {
        return ended.get();
    }

    /** @param status the final status to send, or -1 for none */
    private boolean end(int status, String comment) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        if (status >= 0) {
            responder.complete(status, comment);
        }
        onEnd.accept(status >= 0 ? status : Status.CANCEL);
        return true;
    }

    /** "PACSX [ModalitiesInStudy]; ...": AE titles and PS3.6 keywords, never query values. */
    private static String unverifiedSummary(SpanAnswer answer) {
        StringBuilder sb = new StringBuilder();
        for (SpanAnswer.SourceNote note : answer.notes()) {
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(note.aeTitle()).append(' ').append(note.unverifiedKeys());
        }
        return sb.toString();
    }

    /** "PACS_B: FAILED_STATUS (reason); ..." for the Error Comment: names and outcomes, never query values. */
    private static String failureSummary(SpanAnswer answer) {
        List<SpanAnswer.SourceFailure> failures = answer.failures() == null ? List.of() : answer.failures();
        if (failures.isEmpty()) {
            return "the spanning query " + answer.state().name().toLowerCase(java.util.Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder();
        for (SpanAnswer.SourceFailure f : failures) {
            if (f.outcome() == SourceOutcome.CANCELLED) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(f.aeTitle() == null || f.aeTitle().isEmpty() ? "spanner" : f.aeTitle())
                    .append(": ")
                    .append(f.reason());
        }
        return sb.length() == 0 ? "the spanning query failed" : sb.toString();
    }
}
