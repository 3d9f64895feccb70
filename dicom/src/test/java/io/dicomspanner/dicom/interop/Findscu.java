package io.dicomspanner.dicom.interop;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.TransferSyntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * dcmtk's {@code findscu}: one C-FIND over one association, run with {@code -v -X} in a fresh directory. The
 * response identifiers come back parsed, in the order they arrived, with the statuses dcmtk logged.
 *
 * <p>findscu exits 0 even when the C-FIND ends in a failure status, so the status is read from the log line
 * {@code Received Final Find Response (...)}. dcmtk names statuses there, not codes; {@link #statusCode(String)} maps
 * the names back. dcmtk prints every {@code Cxxx} status as {@code Failed: UnableToProcess}, which therefore maps to
 * {@code C000}.
 */
public final class Findscu {

    /** How long one findscu run may take, association included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** The calling AE title unless one is given. */
    public static final String DEFAULT_CALLING_AE = "FINDSCU";

    /** {@link Result#finalStatus()} when no final C-FIND-RSP arrived (association refused, aborted, bad key...). */
    public static final int NO_FINAL_RESPONSE = -1;

    private static final Pattern PENDING = Pattern.compile("Received Find Response \\d+ \\((.*)\\)");
    private static final Pattern FINAL = Pattern.compile("Received Final Find Response \\((.*)\\)");
    private static final Pattern UNKNOWN_STATUS = Pattern.compile("Unknown Status: 0x([0-9a-fA-F]+)");
    private static final Pattern RESPONSE_FILE = Pattern.compile("rsp(\\d+)\\.dcm");

    /** The information model, i.e. the C-FIND SOP class findscu proposes. */
    public enum Model {
        STUDY_ROOT("-S"),
        PATIENT_ROOT("-P");

        private final String option;

        Model(String option) {
            this.option = option;
        }
    }

    /**
     * What findscu reported.
     *
     * @param responses the identifiers of the pending responses, in arrival order
     * @param pendingStatuses the status of each pending response ({@code FF00} or {@code FF01})
     * @param finalStatus the status of the final response, or {@link #NO_FINAL_RESPONSE}
     * @param finalStatusText dcmtk's name for the final status, or {@code null}
     * @param log findscu's verbose output (identifiers included: test data only)
     */
    public record Result(
            List<Attributes> responses,
            List<Integer> pendingStatuses,
            int finalStatus,
            String finalStatusText,
            int exitCode,
            String log) {

        public Result {
            responses = List.copyOf(responses);
            pendingStatuses = List.copyOf(pendingStatuses);
        }

        /** True when the C-FIND ended with status Success (0000). */
        public boolean succeeded() {
            return finalStatus == 0;
        }
    }

    private final String host;
    private final int port;
    private final String calledAe;
    private String callingAe = DEFAULT_CALLING_AE;
    private Model model = Model.STUDY_ROOT;
    private Attributes identifier;
    private final List<String> keys = new ArrayList<>();
    private int cancelAfter;
    private final List<String> options = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Findscu(String host, int port, String calledAe) {
        this.host = Objects.requireNonNull(host);
        this.port = port;
        this.calledAe = Objects.requireNonNull(calledAe);
    }

    public static Findscu to(String host, int port, String calledAe) {
        return new Findscu(host, port, calledAe);
    }

    public Findscu callingAe(String callingAe) {
        this.callingAe = Objects.requireNonNull(callingAe);
        return this;
    }

    public Findscu model(Model model) {
        this.model = Objects.requireNonNull(model);
        return this;
    }

    /** Sets Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE. */
    public Findscu level(String level) {
        return key("QueryRetrieveLevel", level);
    }

    /** A return key: the attribute present with an empty value. */
    public Findscu key(String keyword) {
        keys.add(keyword);
        return this;
    }

    /**
     * A matching key, as findscu's {@code -k keyword=value}. The value must be ASCII: command line arguments go
     * through the platform's charset; use {@link #identifier(Attributes)} for other text.
     */
    public Findscu key(String keyword, String value) {
        if (!value.chars().allMatch(c -> c < 0x80)) {
            throw new IllegalArgumentException(
                    "-k values must be ASCII; put " + keyword + " into identifier(Attributes) instead");
        }
        keys.add(keyword + "=" + value);
        return this;
    }

    /**
     * A request identifier written to a query file that findscu sends; {@link #key} arguments are applied on top of
     * it. This is the way to send values in any character set.
     */
    public Findscu identifier(Attributes identifier) {
        this.identifier = Attributes.copyOf(identifier);
        return this;
    }

    /** Sends a C-CANCEL after {@code responses} pending responses (findscu's {@code --cancel}). */
    public Findscu cancelAfter(int responses) {
        if (responses < 1) {
            throw new IllegalArgumentException("--cancel needs at least 1 response, was " + responses);
        }
        this.cancelAfter = responses;
        return this;
    }

    /** Extra findscu options, passed as given (e.g. {@code --propose-implicit}). */
    public Findscu options(String... options) {
        this.options.addAll(List.of(options));
        return this;
    }

    /**
     * Over TLS, presenting a client certificate ({@code +tls KEY CERT}, PEM) and trusting {@code trustedCa} for the
     * server's ({@code +cf}); the BCP 195 non-downgrading profile, dcmtk's default {@code +py}.
     */
    public Findscu tls(Path privateKey, Path certificate, Path trustedCa) {
        return options("+tls", privateKey.toString(), certificate.toString(), "+cf", trustedCa.toString());
    }

    /** Over TLS without a client certificate ({@code +tla}), trusting {@code trustedCa} for the server's. */
    public Findscu tlsWithoutCertificate(Path trustedCa) {
        return options("+tla", "+cf", trustedCa.toString());
    }

    public Findscu timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        Path dir = WorkDirectories.create("findscu-");
        try {
            List<String> command =
                    new ArrayList<>(List.of("findscu", "-v", "-X", model.option, "-aet", callingAe, "-aec", calledAe));
            if (cancelAfter > 0) {
                command.add("--cancel");
                command.add(Integer.toString(cancelAfter));
            }
            for (String key : keys) {
                command.add("-k");
                command.add(key);
            }
            command.addAll(options);
            command.add(host);
            command.add(Integer.toString(port));
            if (identifier != null) {
                Path query = dir.resolve("query.dcm");
                Files.write(query, DicomWriter.encode(identifier, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
                command.add(query.toString());
            }
            ExternalCommand.Outcome outcome = ExternalCommand.run(command, dir, dir.resolve("findscu.log"), timeout);
            return parse(outcome, dir);
        } finally {
            WorkDirectories.deleteRecursively(dir);
        }
    }

    private static Result parse(ExternalCommand.Outcome outcome, Path dir) throws IOException {
        List<Integer> pending = new ArrayList<>();
        int finalStatus = NO_FINAL_RESPONSE;
        String finalText = null;
        for (String line : outcome.output().split("\n")) {
            Matcher p = PENDING.matcher(line);
            Matcher f = FINAL.matcher(line);
            if (p.find()) {
                pending.add(statusCode(p.group(1)));
            } else if (f.find()) {
                finalText = f.group(1);
                finalStatus = statusCode(finalText);
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f ->
                            RESPONSE_FILE.matcher(f.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(Findscu::responseNumber))
                    .toList();
        }
        List<Attributes> responses = new ArrayList<>(files.size());
        for (Path f : files) {
            responses.add(DicomFile.read(f).dataset());
        }
        return new Result(responses, pending, finalStatus, finalText, outcome.exitCode(), outcome.output());
    }

    private static int responseNumber(Path file) {
        Matcher m = RESPONSE_FILE.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException(file + " is not a findscu response file");
        }
        return Integer.parseInt(m.group(1));
    }

    /**
     * The status code for dcmtk's name of a C-FIND status (dcmtk's {@code DU_cfindStatusString}).
     *
     * @throws IllegalArgumentException for a name dcmtk does not print
     */
    public static int statusCode(String dcmtkName) {
        return switch (dcmtkName) {
            case "Success" -> 0x0000;
            case "Pending" -> 0xFF00;
            case "Pending: WarningUnsupportedOptionalKeys" -> 0xFF01;
            case "Cancel: MatchingTerminatedDueToCancelRequest" -> 0xFE00;
            case "Refused: OutOfResources" -> 0xA700;
            case "Refused: SOPClassNotSupported" -> 0x0122;
            // dcmtk 3.6.7 names A900H with its general DIMSE name, not the C-FIND one
            case "Failed: IdentifierDoesNotMatchSOPClass", "Error: DataSetDoesNotMatchSOPClass" -> 0xA900;
            case "Failed: UnableToProcess" -> 0xC000;
            default -> {
                Matcher m = UNKNOWN_STATUS.matcher(dcmtkName);
                if (!m.matches()) {
                    throw new IllegalArgumentException("not a dcmtk C-FIND status: " + dcmtkName);
                }
                yield Integer.parseInt(m.group(1), 16);
            }
        };
    }
}
