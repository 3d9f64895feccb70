package io.dicomspanner.dicom.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a third-party command line tool to completion in a working directory, as every peer here is run. */
final class ExternalCommand {

    /** The outcome of one run: exit code and everything the tool printed (stdout and stderr interleaved). */
    record Outcome(int exitCode, String output) {}

    /** How many trailing log lines a failure message quotes. */
    static final int LOG_LINES_IN_ERRORS = 40;

    private ExternalCommand() {}

    /**
     * Runs {@code command} in {@code workDir} with {@code TCP_NODELAY=1} (dcmtk otherwise leaves Nagle's algorithm on)
     * and its output going to {@code logFile}.
     *
     * @throws IllegalStateException if the tool does not finish within {@code timeout}; it is then killed
     */
    static Outcome run(List<String> command, Path workDir, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().put("TCP_NODELAY", "1");
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            throw new IllegalStateException(command.get(0) + " did not finish within " + timeout + "; output:\n"
                    + tail(readLog(logFile), LOG_LINES_IN_ERRORS));
        }
        return new Outcome(process.exitValue(), readLog(logFile));
    }

    /** The log as text; dcmtk prints values in their own character set, so bytes that are not UTF-8 are replaced. */
    static String readLog(Path logFile) throws IOException {
        return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
    }

    /** The last {@code lines} lines of a text, for failure messages. */
    static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        int from = Math.max(0, all.length - lines);
        return String.join("\n", List.of(all).subList(from, all.length));
    }
}
