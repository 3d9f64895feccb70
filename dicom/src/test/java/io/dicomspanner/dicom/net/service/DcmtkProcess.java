package io.dicomspanner.dicom.net.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk command-line tools with TCP_NODELAY=1 (dcmtk leaves Nagle on otherwise) and a bound on their time. */
final class DcmtkProcess {
    record Result(int exitCode, String output) {
        /** The lines dcmtk prints at -v, without the data set dumps. */
        List<String> infoLines() {
            return output.lines()
                    .filter(l -> l.startsWith("I: ") && !l.startsWith("I: (") && !l.startsWith("I: #"))
                    .filter(l -> !l.equals("I: ") && !l.startsWith("I: ---"))
                    .toList();
        }
    }

    private DcmtkProcess() {}

    static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb =
                new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        pb.environment().put("TCP_NODELAY", "1");
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("%s finished", command[0])
                    .isTrue();
            return new Result(p.exitValue(), out);
        } finally {
            p.destroyForcibly();
        }
    }
}
