package io.dicomspanner.dicom.match;

import java.util.Objects;

/**
 * The implementation choices PS3.4 C.2.2.2 leaves to an SCP's conformance statement or to extended negotiation.
 *
 * @param caseInsensitivePersonName PN keys match regardless of case (PS3.4 C.2.2.2.1 allows it for PN only; Orthanc
 *     does it by default, dcmtk's dcmqrscp does not).
 * @param combinedDateTime a DA key and its TM partner (StudyDate + StudyTime, ...) that both use Range Matching are
 *     matched as one DT range (PS3.4 C.2.2.2.5.4; extended negotiation byte 2).
 * @param emptyValueMatching a key value of two QUOTATION MARKs ({@code ""}) matches only entities whose value is
 *     empty or absent (PS3.4 C.2.2.2.7; QIDO-RS {@code emptyvaluematching=true}). Without it {@code ""} is an ordinary
 *     value.
 * @param multipleValueMatching a multi-valued key of VR AE, AS, AT, CS, LO, PN, SH or UC for an attribute whose VM
 *     allows several values matches only entities holding every key value (PS3.4 C.2.2.2.8). Without it a
 *     multi-valued key matches if any one of its values matches, which is what the QIDO proxy needs when it splits
 *     ModalitiesInStudy into one C-FIND per value.
 * @param missingValue what an absent, empty or unreadable candidate value does; see {@link MissingValuePolicy}.
 */
public record MatchOptions(
        boolean caseInsensitivePersonName,
        boolean combinedDateTime,
        boolean emptyValueMatching,
        boolean multipleValueMatching,
        MissingValuePolicy missingValue) {

    /** Plain PS3.4 C.2.2.2 matching as an SCP does it without extended negotiation. */
    public static final MatchOptions SCP = new MatchOptions(false, false, false, false, MissingValuePolicy.EXCLUDE);

    /** As {@link #SCP}, but a candidate is kept unless a value disproves it: for re-checking a PACS's answers. */
    public static final MatchOptions RECHECK = SCP.withMissingValue(MissingValuePolicy.KEEP);

    public MatchOptions {
        Objects.requireNonNull(missingValue, "missingValue");
    }

    public MatchOptions withCaseInsensitivePersonName(boolean value) {
        return new MatchOptions(value, combinedDateTime, emptyValueMatching, multipleValueMatching, missingValue);
    }

    public MatchOptions withCombinedDateTime(boolean value) {
        return new MatchOptions(
                caseInsensitivePersonName, value, emptyValueMatching, multipleValueMatching, missingValue);
    }

    public MatchOptions withEmptyValueMatching(boolean value) {
        return new MatchOptions(
                caseInsensitivePersonName, combinedDateTime, value, multipleValueMatching, missingValue);
    }

    public MatchOptions withMultipleValueMatching(boolean value) {
        return new MatchOptions(caseInsensitivePersonName, combinedDateTime, emptyValueMatching, value, missingValue);
    }

    public MatchOptions withMissingValue(MissingValuePolicy value) {
        return new MatchOptions(
                caseInsensitivePersonName, combinedDateTime, emptyValueMatching, multipleValueMatching, value);
    }
}
