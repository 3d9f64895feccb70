package io.dicomspanner.dicom.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** dcmtk's {@code echoscu}: one C-ECHO over one association, run with {@code -v} so the response status is logged. */
public final class Echoscu {

    /** How long one echoscu run may take, association included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The calling AE title unless one is given. */
    public static final String DEFAULT_CALLING_AE = "ECHOSCU";

    private static final Pattern RESPONSE = Pattern.compile("Received Echo Response \\((.*)\\)");

    /**
     * What echoscu reported.
     *
     * @param status the status text dcmtk logged for the C-ECHO-RSP ({@code Success}, ...), or {@code null} if no
     *     response arrived (association rejected, connection refused)
     */
    public record Result(int exitCode, String status, String log) {
        public boolean succeeded() {
            return exitCode == 0 && "Success".equals(status);
        }
    }

    private final String host;
    private final int port;
    private final String calledAe;
    private String callingAe = DEFAULT_CALLING_AE;
    private final List<String> options = new ArrayList<>();
    private Duration timeout = DEFAULT_TIMEOUT;

    private Echoscu(String host, int port, String calledAe) {
        this.host = Objects.requireNonNull(host);
        this.port = port;
        this.calledAe = Objects.requireNonNull(calledAe);
    }

    public static Echoscu to(String host, int port, String calledAe) {
        return new Echoscu(host, port, calledAe);
    }

    public Echoscu callingAe(String callingAe) {
        this.callingAe = Objects.requireNonNull(callingAe);
        return this;
    }

    /** Extra echoscu options, passed as given (e.g. {@code --propose-implicit}). */
    public Echoscu options(String... options) {
        this.options.addAll(List.of(options));
        return this;
    }

    public Echoscu timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout);
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        Path dir = WorkDirectories.create("echoscu-");
        try {
            List<String> command = new ArrayList<>(List.of("echoscu", "-v", "-aet", callingAe, "-aec", calledAe));
            command.addAll(options);
            command.add(host);
            command.add(Integer.toString(port));
            ExternalCommand.Outcome outcome = ExternalCommand.run(command, dir, dir.resolve("echoscu.log"), timeout);
            Matcher m = RESPONSE.matcher(outcome.output());
            return new Result(outcome.exitCode(), m.find() ? m.group(1) : null, outcome.output());
        } finally {
            WorkDirectories.deleteRecursively(dir);
        }
    }
}
