package io.dicomspanner.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.testing.Command;
import io.dicomspanner.testing.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/start_enterprise_spanner.sh and scripts/test.sh, up to the point where they stop on their own: the help, the
 * refusal while a started process runs, and a service that exits while starting. Each run has a run folder of its own
 * (SPANNER_RUN_DIR), so a spanner started on this machine is neither seen nor touched.
 */
class StartScriptTest {
    private static final String START = "scripts/start_enterprise_spanner.sh";

    @TempDir
    Path run;

    @Test
    void helpPrintsTheUsageAndEveryOption() {
        Command help = Command.run(Repo.root(), Map.of(), Duration.ofSeconds(30), START, "--help");

        assertThat(help.exitCode()).as(help.output()).isZero();
        assertThat(help.out().lines().toList())
                .startsWith("usage: scripts/start_enterprise_spanner.sh [options]")
                .anyMatch(l -> l.startsWith("  --no-simulator  "))
                .anyMatch(l -> l.startsWith("  --no-build      "))
                .anyMatch(l -> l.startsWith("  --patients N    "))
                .anyMatch(l -> l.startsWith("  --associations N"))
                .anyMatch(l -> l.startsWith("  --docker        "))
                .anyMatch(l -> l.startsWith("  --local         "))
                .anyMatch(l -> l.startsWith("  -h, --help      "))
                .anyMatch(l -> l.startsWith("  SPANNER_RUN_DIR ") && l.contains("tls/"))
                .anyMatch(l -> l.contains("api-gateway (HTTPS :8443"))
                .anyMatch(l -> l.contains("TLS :2762"))
                .noneMatch(l -> l.contains("set -euo pipefail"));
    }

    @Test
    void anUnknownOptionIsRefusedWithExitTwo() {
        Command start = Command.run(Repo.root(), Map.of(), Duration.ofSeconds(30), START, "--verbose");

        assertThat(start.exitCode()).isEqualTo(2);
        assertThat(start.err()).isEqualTo("unknown option: --verbose (see --help)\n");
    }

    /** A simulated PACS accepts 20 associations: more, or none, is refused before anything starts. */
    @Test
    void associationsOutsideWhatASimulatedPacsAcceptsAreRefusedWithExitTwo() {
        Map<String, String> env = Map.of("SPANNER_RUN_DIR", run.toString());
        Command tooMany = Command.run(Repo.root(), env, Duration.ofSeconds(30), START, "--associations", "21");
        Command none = Command.run(Repo.root(), env, Duration.ofSeconds(30), START, "--associations", "0");
        Command notANumber = Command.run(Repo.root(), env, Duration.ofSeconds(30), START, "--associations", "x");

        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).isEqualTo("--associations takes 1 to 20 (a simulated PACS accepts 20), not: 21\n");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("--associations takes 1 to 20 (a simulated PACS accepts 20), not: 0\n");
        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).isEqualTo("--associations takes 1 to 20 (a simulated PACS accepts 20), not: x\n");
        assertThat(run).isEmptyDirectory();
    }

    @Test
    void startAndTestRefuseWhileAProcessOfTheStartScriptRuns() throws IOException {
        long alive = ProcessHandle.current().pid();
        Files.writeString(run.resolve("pids"), "999999999 pacs-simulator\n" + alive + " api-gateway\n");
        Map<String, String> env = Map.of("SPANNER_RUN_DIR", run.toString());

        Command start = Command.run(Repo.root(), env, Duration.ofSeconds(30), START, "--local", "--no-build");
        Command test = Command.run(Repo.root(), env, Duration.ofSeconds(30), "scripts/test.sh");

        assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
        assertThat(start.err())
                .isEqualTo("already running (api-gateway, pid " + alive
                        + "): run scripts/stop_enterprise_spanner.sh first\n");
        assertThat(test.exitCode()).as(test.output()).isEqualTo(1);
        assertThat(test.err())
                .isEqualTo("the start script's api-gateway (pid " + alive + ") is running and would take the tests'"
                        + " messages: run scripts/stop_enterprise_spanner.sh first\n");
    }

    /**
     * The simulated PACS fleet refuses an empty population and exits at once: the script says so with the service's
     * name, its exit status and its own error line, instead of waiting out the 180 s it gives a service to become
     * ready (the timeout below is shorter than that).
     */
    @Test
    void aServiceThatExitsWhileStartingIsNamedAtOnceWithItsExitStatusAndItsErrorLine() {
        Command start = Command.run(
                Repo.root(),
                Map.of("SPANNER_RUN_DIR", run.toString()),
                Duration.ofSeconds(150),
                START,
                "--local",
                "--no-build",
                "--patients",
                "0");

        Path logs = run.resolve("logs");
        assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
        assertThat(start.out()).contains("[start] started pacs-simulator (pid ");
        assertThat(start.err())
                .isEqualTo("ERROR: pacs-simulator exited with status 2 while starting. Its error:\n"
                        + "  pacs-simulator: patients must be in [1, 1000000], was 0\n"
                        + "(whole log: " + logs.resolve("pacs-simulator.out") + ", stderr "
                        + logs.resolve("pacs-simulator.log") + ")\n");
    }

    /**
     * A local start makes a CA and its server and client certificates in the run folder's tls/ before any service
     * starts (the simulator refusing an empty population ends each run right after), keeps them on the next start, and
     * makes them all again when one expires within 14 days.
     */
    @Test
    void aLocalStartMakesTheDemoCertificatesOnceKeepsThemAndRenewsThemBeforeTheyExpire() throws Exception {
        Map<String, String> env = Map.of("SPANNER_RUN_DIR", run.toString());
        Path tls = run.resolve("tls");

        assertMadeAndSignedByTheLocalCa(startUntilTheSimulatorRefuses(env), tls);
        assertThat(openssl(tls, "x509", "-in", "server.pem", "-noout", "-ext", "subjectAltName,extendedKeyUsage"))
                .contains("DNS:localhost, DNS:pacs-simulator, IP Address:127.0.0.1")
                .contains("TLS Web Server Authentication");
        assertThat(openssl(tls, "x509", "-in", "client.pem", "-noout", "-ext", "extendedKeyUsage"))
                .contains("TLS Web Client Authentication");
        for (String key : List.of("ca-key.pem", "server-key.pem", "client-key.pem")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve(key))))
                    .as(key)
                    .isEqualTo("rw-------");
        }
        String ca = Files.readString(tls.resolve("ca.pem"));

        Command second = startUntilTheSimulatorRefuses(env);

        assertThat(second.out()).contains("[start] certificates: " + tls + " (kept)\n");
        assertThat(Files.readString(tls.resolve("ca.pem"))).isEqualTo(ca);

        // a server certificate valid for 2 days (a test CA's own): within the 14 days of notice
        TestPki expiring = TestPki.create(run.resolve("expiring"), "expiring");
        Files.copy(expiring.caCertificate(), tls.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);

        assertMadeAndSignedByTheLocalCa(startUntilTheSimulatorRefuses(env), tls);
        assertThat(Files.readString(tls.resolve("ca.pem"))).isNotEqualTo(ca);
    }

    private static void assertMadeAndSignedByTheLocalCa(Command start, Path tls) {
        assertThat(start.out())
                .contains("[start] certificates: made a local CA and its server and client certificates in " + tls
                        + "\n");
        assertThat(openssl(tls, "verify", "-CAfile", "ca.pem", "server.pem", "client.pem"))
                .isEqualTo("server.pem: OK\nclient.pem: OK\n");
    }

    private static String openssl(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Command openssl = Command.run(dir, Map.of(), Duration.ofSeconds(30), command);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();
        return openssl.out();
    }

    private static Command startUntilTheSimulatorRefuses(Map<String, String> env) {
        Command start = Command.run(
                Repo.root(), env, Duration.ofSeconds(150), START, "--local", "--no-build", "--patients", "0");
        assertThat(start.err()).as(start.output()).contains("ERROR: pacs-simulator exited with status 2");
        return start;
    }
}
