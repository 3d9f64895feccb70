package io.dicomspanner.common.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A secret given either inline (an environment variable) or as a file (a Docker or Kubernetes secret), never both.
 */
public final class SecretSource {

    private SecretSource() {}

    /**
     * The secret from {@code inline} or from the file named by {@code file}, whichever is set; a file's trailing
     * newline is not part of the secret.
     *
     * @throws IllegalStateException if both are set, or the file cannot be read
     */
    public static Optional<String> resolve(String inline, String file, String inlineSetting, String fileSetting) {
        boolean hasInline = inline != null && !inline.isBlank();
        boolean hasFile = file != null && !file.isBlank();
        if (hasInline && hasFile) {
            throw new IllegalStateException("Set either " + inlineSetting + " or " + fileSetting + ", not both");
        }
        if (hasInline) {
            return Optional.of(inline.strip());
        }
        if (hasFile) {
            try {
                return Optional.of(
                        Files.readString(Path.of(file), StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + fileSetting + " " + file, e);
            }
        }
        return Optional.empty();
    }
}
