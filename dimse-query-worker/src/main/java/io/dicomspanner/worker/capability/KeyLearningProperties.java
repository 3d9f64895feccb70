package io.dicomspanner.worker.capability;

import jakarta.validation.constraints.Min;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Learning from a source's own answers which matching keys it does not apply ({@code spanner.worker.key-learning});
 * defaults in application.yaml, described in docs/configuration-worker.md.
 *
 * @param enabled whether to learn at all
 * @param keys PS3.6 keywords of the keys that may be learned; the keys of {@link #NEVER_LEARNED} are left out whatever
 *     is configured
 * @param minRecordsWithoutValue records without a value for a key, across a source's successful tasks with none with a
 *     value, after which the key is taken as one the source does not return
 */
@Validated
@ConfigurationProperties(prefix = "spanner.worker.key-learning")
public record KeyLearningProperties(
        boolean enabled, List<String> keys, @Min(1) int minRecordsWithoutValue) {

    /**
     * Keys never learned: verifying them would send them to the source as return keys, turning a narrow query (one
     * patient, one accession, one day) into one for the whole archive.
     */
    public static final Set<String> NEVER_LEARNED = Set.of("PatientID", "PatientName", "AccessionNumber", "StudyDate");

    public KeyLearningProperties {
        keys = keys == null ? List.of() : List.copyOf(keys);
    }

    /** The keys that may be learned, in configured order, without {@link #NEVER_LEARNED}. */
    public Set<String> learnable() {
        Set<String> learnable = new LinkedHashSet<>(keys);
        learnable.removeAll(NEVER_LEARNED);
        return learnable;
    }
}
