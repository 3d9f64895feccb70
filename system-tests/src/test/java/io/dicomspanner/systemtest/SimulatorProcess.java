package io.dicomspanner.systemtest;

import io.dicomspanner.testing.FreePorts;
import io.dicomspanner.testing.ServiceProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pacs-simulator.jar} as a process (docs/simulator.md "The runnable"): N simulated PACS on consecutive free
 * ports. It prints one line per PACS ({@code PACS_A PACSA 127.0.0.1:30001 NORMAL}) and then {@code READY}.
 */
final class SimulatorProcess implements AutoCloseable {
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern PACS_LINE =
            Pattern.compile("^([A-Z0-9_]+) ([A-Z0-9_]+) ([0-9.]+):([0-9]+) ([A-Z]+)$", Pattern.MULTILINE);
    private static final Pattern READY = Pattern.compile("^READY$", Pattern.MULTILINE);

    /** One simulated PACS as the simulator announced it. */
    record Pacs(String name, String aeTitle, String host, int port, String mode) {}

    private final ServiceProcess process;
    private final List<Pacs> pacs;

    private SimulatorProcess(ServiceProcess process, List<Pacs> pacs) {
        this.process = process;
        this.pacs = List.copyOf(pacs);
    }

    /**
     * Starts {@code pacsCount} PACS (PACS_A, PACS_B, ... with the quirks of the default fleet) over the seeded
     * population of {@code patients} patients; {@code options} are further command line options
     * ({@code --latency-ms 5-20}, {@code --mode PACS_B=HANGING}).
     */
    static SimulatorProcess start(Path jar, Path logFile, int pacsCount, int patients, List<String> options)
            throws IOException, InterruptedException {
        int basePort = FreePorts.consecutive(pacsCount);
        List<String> command = new ArrayList<>(Fleet.javaCommand(jar));
        command.addAll(List.of(
                "--pacs", Integer.toString(pacsCount),
                "--base-port", Integer.toString(basePort),
                "--patients", Integer.toString(patients)));
        command.addAll(options);
        ServiceProcess process = ServiceProcess.builder(
                        logFile.getFileName().toString().replace(".log", ""), command, logFile)
                .start();
        try {
            process.awaitReady("READY", () -> READY.matcher(process.log()).find(), STARTUP_TIMEOUT);
            List<Pacs> pacs = new ArrayList<>();
            Matcher m = PACS_LINE.matcher(process.log());
            while (m.find()) {
                pacs.add(new Pacs(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)), m.group(5)));
            }
            if (pacs.size() != pacsCount) {
                throw new IllegalStateException("simulator announced " + pacs + ", expected " + pacsCount + " PACS");
            }
            return new SimulatorProcess(process, pacs);
        } catch (InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    List<Pacs> pacs() {
        return pacs;
    }

    Pacs pacs(String name) {
        return pacs.stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no simulated PACS " + name + " in " + pacs));
    }

    /** What a simulated PACS counted of its concurrent associations so far (see {@code --max-associations}). */
    record Associations(int maxConcurrent, long rejected) {}

    /**
     * The last {@code NAME associations max M rejected R} line the simulator printed for {@code pacsName}; none yet:
     * no association was ever accepted or rejected.
     */
    Associations associations(String pacsName) {
        Matcher m = Pattern.compile(
                        "^" + Pattern.quote(pacsName) + " associations max ([0-9]+) rejected ([0-9]+)$",
                        Pattern.MULTILINE)
                .matcher(process.log());
        Associations last = new Associations(0, 0);
        while (m.find()) {
            last = new Associations(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
        }
        return last;
    }

    ServiceProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}
