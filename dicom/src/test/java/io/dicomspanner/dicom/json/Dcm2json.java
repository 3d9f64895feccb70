package io.dicomspanner.dicom.json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs dcmtk's command-line tools (installed by scripts/dev-services.sh) on a file. */
final class Dcm2json {
    /** A sample converts in well under a second; a run this long means the tool hangs. */
    static final long TOOL_TIMEOUT_SECONDS = 60;

    record Result(int exitCode, byte[] json, String stderr) {}

    private Dcm2json() {}

    /** {@code dcm2json -fc file out.json}: compact output; dcm2json 3.6.7 always writes binary as InlineBinary. */
    static Result convert(Path dicomFile, Path workDir) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "dcm2json", ".json");
        Path err = Files.createTempFile(workDir, "dcm2json", ".err");
        int rc = run(List.of("dcm2json", "-fc", dicomFile.toString(), out.toString()), err);
        return new Result(rc, Files.readAllBytes(out), Files.readString(err, StandardCharsets.ISO_8859_1));
    }

    /**
     * A copy of {@code dicomFile} without Pixel Data, made with dcmtk's {@code dcmodify -ea}. Data Set Trailing Padding
     * goes too: dcmodify drops it when it rewrites such a file anyway, so it is removed explicitly to say so.
     */
    static Path withoutPixelData(Path dicomFile, Path workDir) throws IOException, InterruptedException {
        Path copy = Files.createTempFile(workDir, "nopixels", ".dcm");
        Files.copy(dicomFile, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path err = Files.createTempFile(workDir, "dcmodify", ".err");
        int rc = run(
                List.of("dcmodify", "-nb", "-imt", "-ea", "(7fe0,0010)", "-ea", "(fffc,fffc)", copy.toString()), err);
        if (rc != 0) {
            throw new IllegalStateException("dcmodify failed on " + dicomFile + ": " + Files.readString(err));
        }
        return copy;
    }

    private static int run(List<String> command, Path stderr) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + TOOL_TIMEOUT_SECONDS + " s");
        }
        return p.exitValue();
    }
}
