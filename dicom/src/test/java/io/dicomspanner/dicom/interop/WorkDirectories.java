package io.dicomspanner.dicom.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The temporary directories peers and tools run in: created per run, removed when the run is over. */
final class WorkDirectories {
    private WorkDirectories() {}

    static Path create(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Removes a directory tree; a missing directory is fine. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(dir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
