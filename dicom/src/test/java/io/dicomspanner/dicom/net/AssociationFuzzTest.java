package io.dicomspanner.dicom.net;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.fuzz.ErrorLogTrap;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.match.QueryMatcher;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The bytes a peer sends, fed to an acceptor's whole pipeline (PDU framing and decoding, the Upper Layer state machine,
 * DIMSE assembly, the C-ECHO and C-FIND SCPs) on an {@link EmbeddedChannel}. Whatever arrives, the association
 * answers, rejects or aborts: a bad-input path never logs an internal failure at ERROR, never lets an exception
 * escape the pipeline, and never stays open once the peer has gone and the timers have run.
 */
class AssociationFuzzTest {
    static final DicomSettings SETTINGS = DicomSettings.builder()
            .artimTimeout(Duration.ofSeconds(2))
            .pduReadTimeout(Duration.ofSeconds(2))
            .releaseTimeout(Duration.ofSeconds(2))
            .maxPduLengthReceive(16384)
            .maxMessageSize(100_000)
            .build();

    static final AcceptorPolicy POLICY = new AcceptorPolicy(
            Set.of(),
            Set.of(),
            null,
            null,
            false,
            new DicomServiceRegistry().register(new CEchoScp()).register(new CFindScp(AssociationFuzzTest::answer)),
            new AtomicInteger(),
            null,
            null);

    static ErrorLogTrap trap;

    @BeforeAll
    static void trapErrors() {
        trap = ErrorLogTrap.install("io.dicomspanner");
    }

    @AfterAll
    static void release() {
        trap.close();
    }

    /**
     * One match, as an archive would hold it. Not the identifier echoed: text read from the peer in the default
     * repertoire may hold bytes above 7FH, which that repertoire reads but never writes, so an echo fails by design.
     */
    static final Attributes MATCH = new Attributes()
            .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
            .setString(Tag.PATIENT_NAME, VR.PN, "DOE^JOHN")
            .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.3.4");

    /** Answers like a real SCP: compiles the keys as the listener does, returns one match, completes. */
    static void answer(FindRequest request, FindResponder responder) {
        try {
            QueryMatcher.compile(request.identifier(), MatchOptions.SCP);
        } catch (InvalidMatchingKeyException e) {
            responder.complete(Status.UNABLE_TO_PROCESS, e.getMessage(), e.tag());
            return;
        }
        responder.pending(MATCH);
        responder.complete();
    }

    @FuzzTest
    void everyByteStreamIsAnsweredRejectedOrAborted(byte[] stream) throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel(false, false);
        Association association = Association.acceptor(channel, SETTINGS, POLICY);
        Pipeline.init(channel, null, null, 0, SETTINGS, association);
        channel.register();
        try {
            trap.reset();
            channel.writeInbound(Unpooled.wrappedBuffer(stream));
            // the timers (ARTIM, PDU read, release) fire, then the peer goes away
            channel.advanceTimeBy(10, TimeUnit.SECONDS);
            channel.runPendingTasks();
            channel.close();
            channel.runPendingTasks();
            channel.checkException();
            trap.assertNothingLogged();
            if (!association.closeFuture().isDone()) {
                throw new AssertionError("association still open after the peer left");
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }
}
