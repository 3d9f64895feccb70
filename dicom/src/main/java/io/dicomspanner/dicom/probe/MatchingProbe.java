package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out which matching keys a C-FIND SCP really applies: for each key, C-FINDs of one sample record with a value
 * that must match it and with one that must not. A source that returns the sample for the value that must not match
 * ignores the key; one that does not return it for its own value matches otherwise than DICOM's rules say. Both are
 * "not matched": the spanner then verifies the key itself.
 *
 * <p>How a run goes, in the Study Root model:
 *
 * <ol>
 *   <li>A STUDY-level C-FIND for every study, with every probed patient and study attribute as a return key. The
 *       sample study is the one with the most values among them (among equals, one whose values are all ASCII, since
 *       the probe tests matching and not character set conversion; then the first answered). No study: every key is
 *       {@link Matching#UNDETERMINED}.
 *   <li>When first needed (the first series key, or Modalities in Study that the source matches but did not return),
 *       one SERIES-level C-FIND of the sample study's series (Study Instance UID as the only study key: strictly
 *       hierarchical SCPs such as dcmqrscp accept nothing else). The sample series is chosen as the sample study was;
 *       the modalities of all series stand in for Modalities in Study.
 *   <li>For each key, in the order given: a C-FIND of the sample's unique keys and a value the sample does not hold
 *       (an artificial string, a date before DICOM existed; see {@code ProbeValues}). If the sample is returned, the
 *       source ignored the key: {@link Matching#NOT_MATCHED}. Otherwise a C-FIND with the sample's own value (one
 *       value of a multi-valued attribute, as the sample holds it): the sample returned means {@link
 *       Matching#MATCHED}, not returned means {@link Matching#NOT_MATCHED}. A sample without a value for a key the
 *       source did filter on leaves it {@link Matching#UNDETERMINED}, as does a failed C-FIND; the other keys go on.
 * </ol>
 *
 * <p>{@link KeyFinding#returned()} says whether the sample came back with a value of the attribute: a key a source
 * matches but does not return still needs the spanner's help to show it. The C-FINDs run one after another, never two
 * at once. A finding's detail describes what was seen in words and never quotes a value of a record (PHI).
 */
public final class MatchingProbe {

    /**
     * One C-FIND of the probe: every match of {@code identifier} (Query/Retrieve Level set), in order. The future
     * completes exceptionally if the C-FIND cannot be sent or ends in a failure status.
     */
    @FunctionalInterface
    public interface Finder {
        CompletableFuture<List<Attributes>> find(Attributes identifier);
    }

    /** What the probe found of one key. */
    public enum Matching {
        /** the source applies the key */
        MATCHED,
        /** it does not: ignores the key, or answers otherwise than the key says */
        NOT_MATCHED,
        /** the probe could not tell (no sample record, or the source failed the C-FIND) */
        UNDETERMINED
    }

    /**
     * The finding of one key.
     *
     * @param level the level it was probed at
     * @param returned whether the source returned the sample's value of the attribute; {@code null} if not known
     * @param detail what was seen, for an operator; never a value of a record
     */
    public record KeyFinding(String keyword, QueryLevel level, Matching matching, Boolean returned, String detail) {}

    /**
     * The whole probe.
     *
     * @param cfinds C-FINDs sent
     */
    public record Report(List<KeyFinding> findings, int cfinds) {}

    /** The keys probed when none are named, each at its level. */
    public static final List<String> DEFAULT_KEYS = List.of(
            "PatientName",
            "PatientID",
            "IssuerOfPatientID",
            "PatientBirthDate",
            "PatientSex",
            "StudyDate",
            "StudyTime",
            "AccessionNumber",
            "StudyID",
            "StudyDescription",
            "ReferringPhysicianName",
            "ModalitiesInStudy",
            "Modality",
            "SeriesNumber",
            "SeriesDescription",
            "BodyPartExamined");

    private static final Logger LOG = LoggerFactory.getLogger(MatchingProbe.class);

    private final Finder finder;
    private final Clock clock;

    /**
     * @param finder C-FINDs in the Study Root model
     * @param clock times a run, for the log
     */
    public MatchingProbe(Finder finder, Clock clock) {
        this.finder = Objects.requireNonNull(finder, "finder");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Probes {@code keywords} (PS3.6 keywords of attributes of the patient, study or series level), or {@link
     * #DEFAULT_KEYS} if the list is empty. The report lists one finding per keyword, in the order given. The future
     * fails only if the finder breaks its contract (e.g. throws an Error); a failed C-FIND is a finding.
     *
     * @throws IllegalArgumentException for a keyword the dictionary does not know, of another level (image, or no
     *     level), named twice, Study or Series Instance UID (the probe's anchors), or of a VR the probe has no values
     *     for (sequences, binary VRs); the message names the keyword
     */
    public CompletableFuture<Report> run(List<String> keywords) {
        List<ProbeKey> keys = validate(keywords == null || keywords.isEmpty() ? DEFAULT_KEYS : keywords);
        Instant start = clock.instant();
        return new ProbeRun(finder, keys).run().whenComplete((report, failure) -> {
            if (report != null && LOG.isDebugEnabled()) {
                LOG.debug(
                        "probed {} keys with {} C-FINDs in {} ms",
                        keys.size(),
                        report.cfinds(),
                        Duration.between(start, clock.instant()).toMillis());
            }
        });
    }

    private static List<ProbeKey> validate(List<String> keywords) {
        List<ProbeKey> keys = new ArrayList<>(keywords.size());
        Set<String> seen = new LinkedHashSet<>();
        for (String keyword : keywords) {
            ProbeKey key = ProbeKey.of(keyword);
            if (!seen.add(keyword)) {
                throw new IllegalArgumentException(keyword + " is named twice");
            }
            keys.add(key);
        }
        return keys;
    }
}
