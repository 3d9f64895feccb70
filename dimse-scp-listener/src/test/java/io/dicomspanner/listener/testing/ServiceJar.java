package io.dicomspanner.listener.testing;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.ServiceProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Another service of the spanner (coordinator, worker) run from its executable jar, as the start script runs it, on
 * an HTTP port of its own. Its output stays in {@code target/service-logs/}.
 */
public final class ServiceJar {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private ServiceJar() {}

    /**
     * Starts {@code <module>/target/<module>-*.jar} with {@code --server.port=<free port>} and the given arguments,
     * and waits until its readiness probe answers.
     */
    public static ServiceProcess start(String module, List<String> arguments) throws IOException, InterruptedException {
        Path jar = jarOf(module);
        int port = FreePorts.one();
        // Kept after the run in target/, where a failed test's reader looks for it.
        Path log = Path.of(
                "target", "service-logs", module + "-" + ProcessHandle.current().pid() + "-" + port + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx384m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar.toString());
        command.add("--server.port=" + port);
        command.addAll(arguments);
        ServiceProcess service = ServiceProcess.builder(module, command, log)
                .stopGrace(STOP_GRACE)
                .start();
        try {
            service.awaitSpringBootReady(port, STARTUP);
        } catch (InterruptedException | RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /** The jar the reactor built for a module (this module depends on it so that it is built first). */
    static Path jarOf(String module) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String file = p.getFileName() == null ? "" : p.getFileName().toString();
            if (file.startsWith(module + "-") && file.endsWith(".jar")) {
                return p;
            }
        }
        Path built = Path.of("..", module, "target", module + "-0.1.0-SNAPSHOT.jar");
        if (Files.isRegularFile(built)) {
            return built.toAbsolutePath();
        }
        throw new IllegalStateException(module + "'s executable jar is not built: run this test with"
                + " ./mvnw -pl dimse-scp-listener -am verify (the package phase builds it)");
    }
}
