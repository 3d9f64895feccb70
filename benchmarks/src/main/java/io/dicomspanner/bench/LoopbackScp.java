package io.dicomspanner.bench;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomServer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.service.CEchoScp;
import io.dicomspanner.dicom.net.service.CFindHandler;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.net.service.DicomServiceRegistry;
import io.dicomspanner.dicom.net.service.FindRequest;
import io.dicomspanner.dicom.net.service.FindResponder;
import java.io.IOException;
import java.util.List;

/**
 * Our C-FIND SCP on loopback for the network benchmarks: every C-FIND is answered with {@code matchesPerFind} copies
 * of one pre-built study identifier, so the benchmarks measure the network layer (encoding, PDUs, decoding), not
 * matching. The handler sends while the connection is writable and waits for it otherwise, as a real SCP must.
 */
final class LoopbackScp implements AutoCloseable {
    static final String AE_TITLE = "BENCH_SCP";
    static final String CALLING_AE_TITLE = "BENCH_SCU";

    private final DicomServer server;

    LoopbackScp(DicomSettings settings, int matchesPerFind) throws IOException {
        Attributes identifier = IdentifierCodecBenchmark.studyIdentifier();
        CFindHandler handler = (request, responder) -> send(request, responder, identifier, matchesPerFind);
        server = DicomServer.builder()
                .settings(settings)
                .bind("127.0.0.1", 0)
                .calledAeTitles(List.of(AE_TITLE))
                .requestHandler(
                        new DicomServiceRegistry().register(new CEchoScp()).register(new CFindScp(handler)))
                .start();
    }

    private static void send(FindRequest request, FindResponder responder, Attributes identifier, int remaining) {
        int left = remaining;
        while (left > 0 && !responder.isDone()) {
            responder.pending(identifier);
            left--;
            // every 32 responses, let the connection drain if it has to, instead of queueing without bound
            if (left % 32 == 0 && left > 0) {
                int rest = left;
                responder.writable().thenRun(() -> send(request, responder, identifier, rest));
                return;
            }
        }
        responder.complete();
    }

    DicomPeer peer() {
        return new DicomPeer("127.0.0.1", server.port(), AE_TITLE, CALLING_AE_TITLE, false);
    }

    @Override
    public void close() {
        server.close();
    }
}
