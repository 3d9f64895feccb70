package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.VR;

/**
 * Decides, for each value of an OB, OD, OF, OL, OV, OW or UN attribute (and for encapsulated pixel data), whether
 * {@link DicomJsonWriter} writes it inline as base64 ({@code InlineBinary}, PS3.18 §F.2.7) or as a reference
 * ({@code BulkDataURI}, §F.2.6) that the caller can serve separately.
 */
@FunctionalInterface
public interface BulkDataPolicy {

    /** Every binary value inline. Encapsulated pixel data then cannot be written (it has no InlineBinary form). */
    BulkDataPolicy INLINE = (dataset, tag, vr, valueLength) -> null;

    /**
     * The BulkDataURI for one value, or {@code null} to write it as InlineBinary.
     *
     * @param dataset the data set or sequence item holding the attribute; {@link Attributes#parent()} leads to the
     *     enclosing data sets (where the instance UIDs a WADO-RS URI needs are found)
     * @param tag the attribute's tag
     * @param vr its VR
     * @param valueLength the length of the value in bytes (for encapsulated pixel data: the sum of its fragments)
     */
    String bulkDataUri(Attributes dataset, int tag, VR vr, long valueLength);

    /** Values longer than {@code maxInlineLength} bytes get a reference from {@code uris}; shorter ones are inline. */
    static BulkDataPolicy referenceAbove(long maxInlineLength, BulkDataPolicy uris) {
        if (maxInlineLength < 0) {
            throw new IllegalArgumentException("maxInlineLength must not be negative: " + maxInlineLength);
        }
        return (dataset, tag, vr, valueLength) ->
                valueLength > maxInlineLength ? uris.bulkDataUri(dataset, tag, vr, valueLength) : null;
    }
}
