package io.dicomspanner.dicom.interop;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code scripts/dicom} as operators do, as a separate process. The launcher is given the classes Maven compiled
 * for this test run (main classes and the main scope's jars, picked from the test classpath) through {@code
 * DICOM_TOOL_CLASSPATH}, because no jar exists yet in the test phase.
 */
final class DicomCliRunner {
    /** The launcher, relative to the dicom module's directory (the tests' working directory). */
    static final Path LAUNCHER =
            Path.of("..", "scripts", "dicom").toAbsolutePath().normalize();

    /** Bound on one run of the tool; its own timeouts are shorter. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Jars of the dicom module's main scope, by file name prefix. */
    private static final List<String> MAIN_SCOPE_JARS = List.of("netty-", "jackson-core-", "slf4j-api-");

    record Run(int exitCode, String stdout, String stderr) {}

    private DicomCliRunner() {}

    static Run run(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dicom-cli", ".out");
        Path err = Files.createTempFile("dicom-cli", ".err");
        try {
            List<String> command = new ArrayList<>();
            command.add(LAUNCHER.toString());
            command.addAll(Arrays.asList(args));
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DICOM_TOOL_CLASSPATH", mainClasspath());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("scripts/dicom did not end within " + TIMEOUT + ": " + command + "\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Run(
                    p.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    static String mainClasspath() {
        // surefire starts the JVM from a manifest-only jar and gives the real test classpath in this property
        String testClasspath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(testClasspath.split(File.pathSeparator))
                .filter(e -> {
                    Path p = Path.of(e);
                    String name = p.getFileName().toString();
                    return p.endsWith(Path.of("target", "classes"))
                            || (name.endsWith(".jar")
                                    && MAIN_SCOPE_JARS.stream().anyMatch(name::startsWith));
                })
                .collect(Collectors.joining(File.pathSeparator));
    }
}
