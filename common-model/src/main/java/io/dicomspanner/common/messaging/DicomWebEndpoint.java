package io.dicomspanner.common.messaging;

import io.dicomspanner.common.wire.WireEnum;
import java.util.Objects;

/**
 * How to ask a DICOMweb archive (a QIDO-RS service) that stands as a source beside the DIMSE PACS. Part of the
 * {@link SourceEndpoint} of such a source; a DIMSE source has none.
 *
 * @param baseUrl the QIDO-RS base, http or https, without a trailing slash ({@code http://host:8042/dicom-web}); the
 *     searches are {@code baseUrl + "/studies"} and so on
 * @param auth how the worker authenticates
 * @param username the user of {@link Auth#BASIC}; null otherwise
 * @param sealedSecret the password of {@link Auth#BASIC} or the inline token of {@link Auth#BEARER}, sealed with the
 *     deployment's data key ({@code io.dicomspanner.common.seal.Sealer}) and base64-encoded: only the worker that
 *     sends it opens it; null when there is none
 * @param tokenFile for {@link Auth#BEARER}, a file on the worker's host that holds the token (read at each request,
 *     so a rotated token is used at once); null when the token is inline
 * @param pageSize results asked for per request ({@code limit}); the next page ({@code offset}) is asked while a page
 *     comes back full
 * @param includefieldAll whether the archive understands {@code includefield=all}; otherwise each attribute the answer
 *     needs is named
 * @param fuzzymatching whether the archive understands {@code fuzzymatching=true}; recorded, not sent: the spanner
 *     matches person names literally and says so when a caller asks for fuzzy matching
 * @param limitOffset whether the archive pages with {@code limit} and {@code offset}; without, one request is sent
 * @param maxResults the most results the archive gives for one search whatever its paging (Orthanc's {@code
 *     LimitFindResults}); a search that yields this many is split until each part yields fewer; 0: no cap
 */
public record DicomWebEndpoint(
        String baseUrl,
        Auth auth,
        String username,
        String sealedSecret,
        String tokenFile,
        int pageSize,
        boolean includefieldAll,
        boolean fuzzymatching,
        boolean limitOffset,
        int maxResults) {

    public DicomWebEndpoint {
        Objects.requireNonNull(baseUrl, "baseUrl");
        auth = auth == null ? Auth.NONE : auth;
        if (maxResults < 0) {
            throw new IllegalArgumentException("maxResults must be 0 (no cap) or more, not " + maxResults);
        }
    }

    /** An archive without a cap on its results. */
    public DicomWebEndpoint(
            String baseUrl,
            Auth auth,
            String username,
            String sealedSecret,
            String tokenFile,
            int pageSize,
            boolean includefieldAll,
            boolean fuzzymatching,
            boolean limitOffset) {
        this(
                baseUrl,
                auth,
                username,
                sealedSecret,
                tokenFile,
                pageSize,
                includefieldAll,
                fuzzymatching,
                limitOffset,
                0);
    }

    /** How the worker authenticates towards the archive. */
    public enum Auth implements WireEnum {
        NONE,
        /** HTTP Basic: {@code username} and the sealed password. */
        BASIC,
        /** {@code Authorization: Bearer}: the sealed token, or the token in {@code tokenFile}. */
        BEARER
    }

    /** Never shows the sealed secret (sealed, but no log needs it). */
    @Override
    public String toString() {
        return "DicomWebEndpoint[baseUrl=" + baseUrl + ", auth=" + auth + ", pageSize=" + pageSize + ", maxResults="
                + maxResults + "]";
    }
}
