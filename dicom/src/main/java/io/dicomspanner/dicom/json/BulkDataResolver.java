package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.VR;

/**
 * Fetches the value a {@code BulkDataURI} (PS3.18 §F.2.6) refers to, for {@link DicomJsonReader}. The returned bytes
 * are the value as it would be on the wire: little-endian for binary VRs, text in the data set's character set; an
 * empty array leaves the attribute present but empty.
 */
@FunctionalInterface
public interface BulkDataResolver {

    /** Resolves nothing: a document with a BulkDataURI is refused, naming the attribute. */
    BulkDataResolver REJECT = (tag, vr, uri) -> null;

    /**
     * Keeps the attribute but drops its value. For callers that only need the other attributes (metadata listings);
     * the result no longer holds what the document described.
     */
    BulkDataResolver EMPTY = (tag, vr, uri) -> new byte[0];

    /** The value for {@code uri}, or {@code null} if it cannot be had. */
    byte[] resolve(int tag, VR vr, String uri);
}
