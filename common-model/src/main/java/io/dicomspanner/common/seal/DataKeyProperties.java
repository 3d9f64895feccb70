package io.dicomspanner.common.seal;

import io.dicomspanner.common.secret.SecretSource;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The data keys ({@code spanner.data-key}) that seal what the services keep in Redis and send over RabbitMQ: the same
 * settings in every service, and every service of a deployment must be given the same keys. The current key is
 * required, inline or as a file; there is no clear-text mode. The previous key is set only during a rotation (see
 * docs/operations.md, "Data keys and rotation"). A service binds it with {@link SealingConfiguration}.
 *
 * @param current the current key, base64 of 32 bytes, usually from {@code SPANNER_DATA_KEY}
 * @param currentFile a file holding the current key, usually from {@code SPANNER_DATA_KEY_FILE}
 * @param previous the key before the last rotation, still accepted for reading, from {@code SPANNER_DATA_KEY_PREVIOUS}
 * @param previousFile a file holding the previous key, from {@code SPANNER_DATA_KEY_PREVIOUS_FILE}
 */
@ConfigurationProperties("spanner.data-key")
public record DataKeyProperties(String current, String currentFile, String previous, String previousFile) {

    static final String CURRENT = "spanner.data-key.current (SPANNER_DATA_KEY)";
    static final String CURRENT_FILE = "spanner.data-key.current-file (SPANNER_DATA_KEY_FILE)";
    static final String PREVIOUS = "spanner.data-key.previous (SPANNER_DATA_KEY_PREVIOUS)";
    static final String PREVIOUS_FILE = "spanner.data-key.previous-file (SPANNER_DATA_KEY_PREVIOUS_FILE)";

    /**
     * The sealer of the configured keys.
     *
     * @throws IllegalStateException naming the setting, if there is no current key, a key is set twice, a key is not
     *     base64 of 32 bytes, or the previous key is the current one
     * @throws java.io.UncheckedIOException naming the setting and the file, if a file cannot be read
     */
    public Sealer sealer() {
        DataKey currentKey = key(current, currentFile, CURRENT, CURRENT_FILE)
                .orElseThrow(() -> new IllegalStateException("No data key: set " + CURRENT + " or " + CURRENT_FILE
                        + " to base64 of 32 random bytes (openssl rand -base64 32); every service of a deployment"
                        + " needs the same key"));
        DataKey previousKey =
                key(previous, previousFile, PREVIOUS, PREVIOUS_FILE).orElse(null);
        if (currentKey.equals(previousKey)) {
            throw new IllegalStateException(
                    "The previous data key is the current one (" + currentKey.id() + "): clear " + PREVIOUS);
        }
        return new Sealer(currentKey, previousKey);
    }

    private static java.util.Optional<DataKey> key(String inline, String file, String inlineName, String fileName) {
        return SecretSource.resolve(inline, file, inlineName, fileName).map(text -> {
            try {
                return DataKey.ofBase64(text);
            } catch (IllegalArgumentException e) {
                String setting = inline == null || inline.isBlank() ? fileName + " " + file : inlineName;
                throw new IllegalStateException("The data key of " + setting + " is invalid: " + e.getMessage());
            }
        });
    }

    /** Never shows a key (the settings are logged when binding fails). */
    @Override
    public String toString() {
        return "DataKeyProperties[current=" + masked(current) + ", currentFile=" + currentFile + ", previous="
                + masked(previous) + ", previousFile=" + previousFile + "]";
    }

    private static String masked(String key) {
        return key == null || key.isBlank() ? "" : "***";
    }
}
