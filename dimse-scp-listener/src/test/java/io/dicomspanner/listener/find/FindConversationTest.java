package io.dicomspanner.listener.find;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.FindResponder;
import io.dicomspanner.testing.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The responses one C-FIND gets from the coordinator's answers: their statuses, in order, and the final one. */
class FindConversationTest {

    static final SpanAnswer.SourceNote PACSX =
            new SpanAnswer.SourceNote(3, "PACS-X", "PACSX", List.of("ModalitiesInStudy"));

    /** Records the responses as an SCU receives them: "FF00 1.2.840.99.1", ..., "0000 null". */
    static final class RecordingResponder implements FindResponder {
        final List<String> responses = new ArrayList<>();
        boolean done;

        @Override
        public void pending(Attributes identifier) {
            pending(identifier, Status.PENDING);
        }

        @Override
        public void pending(Attributes identifier, int status) {
            responses.add(String.format("%04X %s", status, identifier.getString(Tag.STUDY_INSTANCE_UID)));
        }

        @Override
        public void complete(int status, String errorComment) {
            responses.add(String.format("%04X %s", status, errorComment));
            done = true;
        }

        @Override
        public CompletionStage<Void> writable() {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isDone() {
            return done;
        }
    }

    static byte[] study(String uid) {
        Attributes a = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JANE")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
        return DicomWriter.encode(a, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static SpanAnswer streamed(String uid, SpanAnswer.SourceNote... notes) {
        return SpanAnswer.streamed("q-1", List.of(study(uid)), 1, List.of(notes));
    }

    static SpanAnswer last(QueryState state, List<byte[]> matches, SpanAnswer.SourceNote... notes) {
        return new SpanAnswer("q-1", matches, true, state, List.of(), 3, 0, false, List.of(notes));
    }

    final RecordingResponder responder = new RecordingResponder();
    final List<Integer> ended = new ArrayList<>();
    final AtomicInteger unverified = new AtomicInteger();

    FindConversation conversation(int pendingStatus) {
        return new FindConversation(
                "q-1",
                responder,
                new ResponseCharacterSet(SpecificCharacterSet.valueOf("ISO_IR 100")),
                pendingStatus,
                ended::add,
                unverified::incrementAndGet);
    }

    @Test
    void pendingResponsesSentOnceASourceIsKnownNotToHaveAppliedAKeyAreFf01AndTheFinalOneIsAPlainSuccess() {
        FindConversation find = conversation(Status.PENDING);

        try (LogCapture log = LogCapture.of(FindConversation.class)) {
            find.accept(streamed("1.2.840.99.1"));
            find.accept(streamed("1.2.840.99.2", PACSX));
            find.accept(last(QueryState.COMPLETE, List.of(study("1.2.840.99.3")), PACSX));

            assertThat(responder.responses)
                    .containsExactly("FF00 1.2.840.99.1", "FF01 1.2.840.99.2", "FF01 1.2.840.99.3", "0000 null");
            assertThat(ended).containsExactly(Status.SUCCESS);
            assertThat(unverified).hasValue(1);
            assertThat(log.lines())
                    .containsExactly("INFO Query q-1 answered with matches not verified against every matching key:"
                            + " PACSX [ModalitiesInStudy]");
        }
    }

    @Test
    void aSourceNotedOnlyInTheLastAnswerMakesItsMatchesFf01() {
        FindConversation find = conversation(Status.PENDING);

        find.accept(streamed("1.2.840.99.1"));
        find.accept(last(QueryState.PARTIAL, List.of(study("1.2.840.99.2")), PACSX));

        assertThat(responder.responses).containsExactly("FF00 1.2.840.99.1", "FF01 1.2.840.99.2", "0000 null");
        assertThat(unverified).hasValue(1);
    }

    @Test
    void withoutNotesEveryPendingResponseHasTheRequestsStatusAndNothingIsCounted() {
        FindConversation plain = conversation(Status.PENDING);
        plain.accept(streamed("1.2.840.99.1"));
        plain.accept(last(QueryState.COMPLETE, List.of(study("1.2.840.99.2"))));

        assertThat(responder.responses).containsExactly("FF00 1.2.840.99.1", "FF00 1.2.840.99.2", "0000 null");
        assertThat(unverified).hasValue(0);
    }

    @Test
    void aRequestWithUnsupportedKeysIsFf01Throughout() {
        FindConversation find = conversation(Status.PENDING_WARNING);

        find.accept(streamed("1.2.840.99.1"));
        find.accept(last(QueryState.COMPLETE, List.of()));

        assertThat(responder.responses).containsExactly("FF01 1.2.840.99.1", "0000 null");
        assertThat(unverified).hasValue(0);
    }

    @Test
    void aFailedQueryIsNotCountedAsAnsweredWithUnverifiedMatches() {
        FindConversation find = conversation(Status.PENDING);

        find.accept(last(QueryState.FAILED, List.of(), PACSX));

        assertThat(responder.responses).containsExactly("C000 the spanning query failed");
        assertThat(unverified).hasValue(0);
    }
}
