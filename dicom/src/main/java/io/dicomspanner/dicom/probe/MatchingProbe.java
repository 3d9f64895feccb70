package io.dicomspanner.dicom.probe;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.query.QueryLevel;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Finds out which matching keys a C-FIND SCP really applies: for each key, C-FINDs of one sample record with a value
 * that must match it and with one that must not. A source that returns the sample for the value that must not match
 * ignores the key; one that does not return it for its own value matches otherwise than DICOM's rules say. Both are
 * "not matched": the spanner then verifies the key itself.
 */
public final class MatchingProbe {

    /** One C-FIND of the probe: every match of {@code identifier} (Query/Retrieve Level set), in order. */
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

    private final Finder finder;
    private final Clock clock;

    /** @param finder C-FINDs in the Study Root model */
    public MatchingProbe(Finder finder, Clock clock) {
        this.finder = finder;
        this.clock = clock;
    }

    /**
     * Probes {@code keywords} (PS3.6 keywords of attributes of the patient, study or series level).
     *
     * @throws IllegalArgumentException for a keyword the dictionary does not know or of another level
     */
    public CompletableFuture<Report> run(List<String> keywords) {
        throw new UnsupportedOperationException("not yet built");
    }
}
