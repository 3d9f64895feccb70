package io.dicomspanner.dicom.tool;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.dicom.net.service.CEchoScu;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.probe.MatchingProbe;
import io.dicomspanner.dicom.probe.PeerFinder;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code scripts/dicom}: C-ECHO, C-FIND and the matching probe against one PACS from the command line, for operators
 * checking a PACS before adding it and for tests. {@code find} prints the matches as one DICOM JSON array on stdout,
 * {@code probe} one line per key ({@link MatchingProbe}); everything else (association, status, reasons) goes to
 * stderr. Exit codes are in {@link ExitCode}.
 */
public final class DicomTool {
    private final PrintStream err;
    private final OutputStream out;

    private DicomTool(OutputStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        BufferedOutputStream out = new BufferedOutputStream(System.out);
        int code = run(args, out, System.err);
        System.err.flush();
        System.exit(code);
    }

    /** Runs one command; the JSON goes to {@code out} (flushed), diagnostics to {@code err}. Returns the exit code. */
    public static int run(String[] args, OutputStream out, PrintStream err) {
        ToolOptions options;
        try {
            options = ToolOptions.parse(args);
        } catch (UsageException e) {
            err.println("dicom: " + e.getMessage());
            err.println(ToolOptions.USAGE);
            return ExitCode.USAGE;
        }
        if (options.help) {
            err.println(ToolOptions.USAGE);
            return ExitCode.SUCCESS;
        }
        DicomTool tool = new DicomTool(out, err);
        try {
            return switch (options.command) {
                case "echo" -> tool.echo(options);
                case "probe" -> tool.probe(options);
                default -> tool.find(options);
            };
        } catch (UsageException e) {
            err.println("dicom " + options.command + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (IOException e) {
            err.println("dicom " + options.command + ": " + reason(e));
            return ExitCode.NETWORK_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("dicom " + options.command + ": interrupted");
            return ExitCode.NETWORK_ERROR;
        }
    }

    private int echo(ToolOptions options) throws UsageException, IOException, InterruptedException {
        DicomPeer peer = options.peer();
        try (DicomClient client = new DicomClient(options.settings(), options.tlsSettings(), null, null)) {
            long start = System.nanoTime();
            Association as = await(
                    client.connect(peer, AssociationRequest.forEcho(peer.calledAeTitle(), peer.callingAeTitle())));
            describe(as, peer);
            if (as.presentationContext(SopClasses.VERIFICATION).isEmpty()) {
                err.println("dicom echo: " + peer + " accepted the association but not the Verification SOP class");
                release(as);
                return ExitCode.FAILURE_STATUS;
            }
            int status = await(CEchoScu.echo(as));
            long millis = (System.nanoTime() - start) / 1_000_000;
            err.println("C-ECHO " + Status.toString(status) + " from " + peer + " in " + millis + " ms");
            release(as);
            return Status.isSuccess(status) ? ExitCode.SUCCESS : ExitCode.FAILURE_STATUS;
        }
    }

    private int find(ToolOptions options) throws UsageException, IOException, InterruptedException {
        DicomPeer peer = options.peer();
        Attributes identifier = QueryKeys.identifier(options.level, options.keys);
        List<SopClassExtendedNegotiation> extended =
                options.relational ? List.of(QueryOptions.RELATIONAL.toNegotiation(options.sopClassUid)) : List.of();
        AssociationRequest request = new AssociationRequest(
                peer.calledAeTitle(), peer.callingAeTitle(), List.of(options.sopClassUid), List.of(), extended, null);
        try (DicomClient client = new DicomClient(options.settings(), options.tlsSettings(), null, null)) {
            Association as = await(client.connect(peer, request));
            describe(as, peer);
            if (as.presentationContext(options.sopClassUid).isEmpty()) {
                err.println("dicom find: " + peer + " accepted the association but not "
                        + SopClasses.name(options.sopClassUid) + " (try another --model)");
                release(as);
                return ExitCode.FAILURE_STATUS;
            }
            FindQuery query = FindQuery.of(options.sopClassUid, identifier)
                    .withTimeouts(options.operationTimeout, options.responseTimeout)
                    .withMaxMatches(options.maxMatches);
            FindResult result = await(CFindScu.findAll(as, query));
            new DicomJsonWriter().writeArray(result.matches(), out);
            out.write('\n');
            out.flush();
            FindOutcome outcome = result.outcome();
            err.println(outcome);
            release(as);
            if (outcome.isSuccess()) {
                return ExitCode.SUCCESS;
            }
            if (outcome.cancelSent() && outcome.matches() >= options.maxMatches && !outcome.isFailure()) {
                err.println("dicom find: stopped after --max-matches " + options.maxMatches + "; there may be more");
                return ExitCode.SUCCESS;
            }
            err.println("dicom find: " + peer + " answered " + Status.toString(outcome.status())
                    + (outcome.errorComment() != null ? ", error comment '" + outcome.errorComment() + "'" : ""));
            return ExitCode.FAILURE_STATUS;
        }
    }

    /**
     * Runs the matching probe and prints one tab-separated line per key: keyword, level, verdict, whether the sample
     * came back with a value, what was seen. The details never quote a record's value, so the output can be shared.
     */
    private int probe(ToolOptions options) throws UsageException, IOException, InterruptedException {
        DicomPeer peer = options.peer();
        try (DicomClient client = new DicomClient(options.settings(), options.tlsSettings(), null, null)) {
            MatchingProbe probe = new MatchingProbe(new PeerFinder(client, peer), Clock.systemUTC());
            CompletableFuture<MatchingProbe.Report> running;
            try {
                running = probe.run(options.keys);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
            MatchingProbe.Report report = await(running);
            StringBuilder lines = new StringBuilder();
            for (MatchingProbe.KeyFinding f : report.findings()) {
                String returned = f.returned() == null ? "unknown" : f.returned() ? "returned" : "not-returned";
                lines.append(String.join(
                                "\t",
                                f.keyword(),
                                f.level().code(),
                                f.matching().name(),
                                returned,
                                f.detail()))
                        .append('\n');
            }
            out.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            err.println("probed " + peer + " with " + report.cfinds() + " C-FINDs");
            boolean determined =
                    report.findings().stream().anyMatch(f -> f.matching() != MatchingProbe.Matching.UNDETERMINED);
            return determined ? ExitCode.SUCCESS : ExitCode.FAILURE_STATUS;
        }
    }

    private void describe(Association as, DicomPeer peer) {
        var userInfo = as.associateAc().userInformation();
        err.println("association accepted by " + peer + " (implementation " + userInfo.implementationClassUid()
                + (userInfo.implementationVersionName() != null ? " " + userInfo.implementationVersionName() : "")
                + ", max PDU " + as.maxPduLengthSend() + ")");
    }

    /** Releases the association; a peer that fails to confirm is reported, the answer already printed stands. */
    private void release(Association as) throws InterruptedException {
        try {
            await(as.release());
        } catch (IOException e) {
            err.println("dicom: release failed: " + reason(e));
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause.toString(), cause);
        }
    }

    /** The exception's message, with the causes' messages where they add something (e.g. "Connection refused"). */
    static String reason(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }
}
