package io.dicomspanner.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository the tests check: found from the working directory (the module, or the root). */
final class Repo {
    private static final Path ROOT = find();

    private Repo() {}

    static Path root() {
        return ROOT;
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path find() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("docker-compose.enterprise.yml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no docker-compose.enterprise.yml above " + Path.of("").toAbsolutePath());
    }
}
