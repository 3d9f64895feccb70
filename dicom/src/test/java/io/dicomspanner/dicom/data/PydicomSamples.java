package io.dicomspanner.dicom.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the sample files shipped by Debian's python3-pydicom, which scripts/dev-services.sh installs. */
public final class PydicomSamples {
    public static final Path ROOT = Path.of("/usr/lib/python3/dist-packages/pydicom/data");

    private PydicomSamples() {}

    public static Path testFile(String name) {
        return ROOT.resolve("test_files").resolve(name);
    }

    public static List<Path> testFiles() {
        return list(ROOT.resolve("test_files"));
    }

    public static List<Path> charsetFiles() {
        return list(ROOT.resolve("charset_files"));
    }

    private static List<Path> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    dir + " is missing: run scripts/dev-services.sh (installs python3-pydicom)");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
