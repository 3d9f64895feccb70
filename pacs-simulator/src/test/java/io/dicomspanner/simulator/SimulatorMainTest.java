package io.dicomspanner.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.dicomspanner.dicom.interop.Echoscu;
import io.dicomspanner.dicom.interop.UnusualPorts;
import io.dicomspanner.simulator.config.PacsMode;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.net.NetworkedFleet;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {

    @Test
    void withoutOptionsTheDefaultFleetListensOnLoopbackFromPort11120() {
        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[0]);

        assertThat(options.help).isFalse();
        assertThat(options.network.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(options.settings.population()).isEqualTo(PopulationSettings.defaults());
        assertThat(options.settings.pacs()).isEqualTo(PacsSettings.defaultFleet());
        assertThat(options.settings.pacs())
                .extracting(PacsSettings::name, PacsSettings::port)
                .startsWith(tuple("PACS_A", 11120), tuple("PACS_B", 11121))
                .endsWith(tuple("PACS_H", 11127));
    }

    @Test
    void everyOptionIsAppliedToItsSetting() {
        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[] {
            "--pacs",
            "3",
            "--base-port",
            "23000",
            "--bind=0.0.0.0",
            "--patients",
            "500",
            "--seed",
            "42",
            "--latency-ms",
            "5-25",
            "--mode",
            "PACS_B=dead",
            "--mode=PACS_C=HANGING",
            "--error-rate",
            "PACS_A=0.25",
            "--max-associations",
            "4"
        });

        assertThat(options.network.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(options.settings.population())
                .isEqualTo(PopulationSettings.defaults().withPatients(500).withSeed(42));
        assertThat(options.settings.pacs())
                .extracting(
                        PacsSettings::name,
                        PacsSettings::port,
                        PacsSettings::minLatencyMillis,
                        PacsSettings::maxLatencyMillis,
                        PacsSettings::mode,
                        PacsSettings::errorRate,
                        PacsSettings::maxAssociations)
                .containsExactly(
                        tuple("PACS_A", 23000, 5, 25, PacsMode.NORMAL, 0.25, 4),
                        tuple("PACS_B", 23001, 5, 25, PacsMode.DEAD, 0.0, 4),
                        tuple("PACS_C", 23002, 5, 25, PacsMode.HANGING, 0.0, 4));
        assertThat(options.settings.pacs().get(2).relationalQueries())
                .as("the default fleet's quirks stay")
                .isFalse();
    }

    @Test
    void keysAPacsDoesNotStoreOrDoesNotMatchAreSetPerPacs() {
        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[] {
            "--pacs", "2", "--unstored", "PACS_A=ModalitiesInStudy, BodyPartExamined", "--unmatched=PACS_B=PatientSex"
        });

        assertThat(options.settings.pacs())
                .extracting(PacsSettings::name, PacsSettings::unstoredAttributes, PacsSettings::unmatchedAttributes)
                .containsExactly(
                        tuple("PACS_A", Set.of("ModalitiesInStudy", "BodyPartExamined"), Set.of()),
                        tuple("PACS_B", Set.of(), Set.of("PatientSex")));
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--unmatched", "PACS_A=PatientSexx"}))
                .hasMessageStartingWith("--unmatched: ")
                .hasMessageContaining("PatientSexx");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(
                        new String[] {"--unstored", "PACS_A=PatientSex", "--unmatched", "PACS_A=PatientSex"}))
                .hasMessageStartingWith("--unmatched: PACS_A: PatientSex cannot be both unstored and unmatched");
    }

    @Test
    void aLargeFleetNamesThePacsAfterTheTwentySixthByNumberAndSpreadsTheirLatencies() {
        SimulatorMain.Options options = SimulatorMain.Options.parse(
                new String[] {"--pacs", "200", "--base-port", "30000", "--latency-spread", "40-300"});

        List<PacsSettings> pacs = options.settings.pacs();
        assertThat(pacs).hasSize(200);
        assertThat(pacs)
                .extracting(PacsSettings::name, PacsSettings::aeTitle, PacsSettings::port)
                .contains(
                        tuple("PACS_A", "PACSA", 30000),
                        tuple("PACS_Z", "PACSZ", 30025),
                        tuple("PACS_027", "PACS027", 30026),
                        tuple("PACS_200", "PACS200", 30199));
        // typical latencies from 40 ms (the first) to 300 ms (the last), each drawn from half to 1.5 times its own
        assertThat(pacs.get(0))
                .extracting(PacsSettings::minLatencyMillis, PacsSettings::maxLatencyMillis)
                .containsExactly(20, 60);
        assertThat(pacs.get(199))
                .extracting(PacsSettings::minLatencyMillis, PacsSettings::maxLatencyMillis)
                .containsExactly(150, 450);
        // index 99 of 200: 40 + 260 * 99 / 199 = 169.3 -> 169
        assertThat(pacs.get(99))
                .extracting(PacsSettings::minLatencyMillis, PacsSettings::maxLatencyMillis)
                .containsExactly(84, 253);
        assertThat(pacs.get(30).unstoredAttributes()).isEmpty();
        assertThat(pacs.get(30).relationalQueries()).isTrue();
    }

    @Test
    void badOptionsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--mode", "PACS_Z=DEAD"}))
                .hasMessage("--mode: no PACS named PACS_Z");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--mode", "PACS_A=ASLEEP"}))
                .hasMessage("--mode: mode must be NORMAL, DEAD or HANGING, was ASLEEP");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--pacs", "1000"}))
                .hasMessage("--pacs must be 1 to 999, was 1000");
        assertThatThrownBy(() ->
                        SimulatorMain.Options.parse(new String[] {"--latency-ms", "50", "--latency-spread", "40-300"}))
                .hasMessage("give --latency-ms or --latency-spread, not both");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--latency-spread", "300-40"}))
                .hasMessage("a latency spread needs 0 <= fastest <= slowest, was 300..40 ms");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--patients"}))
                .hasMessage("--patients needs a value");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--latency-ms", "fast"}))
                .hasMessage("--latency-ms takes a whole number, was fast");
        assertThatThrownBy(() -> SimulatorMain.Options.parse(new String[] {"--verbose", "1"}))
                .hasMessage("unknown option --verbose");
    }

    @Test
    void whenReadyItPrintsOneLinePerPacsThenReady() throws Exception {
        int port = UnusualPorts.pick();
        SimulatorMain.Options options = SimulatorMain.Options.parse(new String[] {
            "--pacs", "2", "--base-port", Integer.toString(port), "--patients", "20", "--mode", "PACS_B=DEAD"
        });
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        try (NetworkedFleet running = NetworkedFleet.start(SimulatedFleet.build(options.settings), options.network)) {
            SimulatorMain.printReady(running, new PrintStream(printed, true, StandardCharsets.UTF_8));
        }

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .isEqualTo("PACS_A PACSA 127.0.0.1:" + port + " NORMAL\n" + "PACS_B PACSB 127.0.0.1:" + (port + 1)
                        + " DEAD\n" + "READY\n");
    }

    @Test
    void runsUntilSigtermThenStopsEveryPacs() throws Exception {
        int port = UnusualPorts.pick();
        Path stderr = Files.createTempFile("pacs-simulator-", ".log");
        Process simulator = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulatorMain.class.getName(),
                        "--pacs",
                        "1",
                        "--base-port",
                        Integer.toString(port),
                        "--patients",
                        "20")
                .redirectError(stderr.toFile())
                .start();
        try {
            BufferedReader stdout =
                    new BufferedReader(new InputStreamReader(simulator.getInputStream(), StandardCharsets.UTF_8));
            List<String> ready =
                    CompletableFuture.supplyAsync(() -> linesUntilReady(stdout)).get(60, TimeUnit.SECONDS);

            assertThat(ready).containsExactly("PACS_A PACSA 127.0.0.1:" + port + " NORMAL", "READY");
            assertThat(Echoscu.to("127.0.0.1", port, "PACSA").run().succeeded()).isTrue();

            simulator.destroy();

            assertThat(simulator.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(simulator.exitValue()).as("killed by SIGTERM").isEqualTo(128 + 15);
            assertThat(Files.readString(stderr)).contains("simulated fleet of 1 PACS stopped");
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        } finally {
            simulator.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }

    private static List<String> linesUntilReady(BufferedReader stdout) {
        List<String> lines = new ArrayList<>();
        try {
            for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
                lines.add(line);
                if (line.equals("READY")) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
