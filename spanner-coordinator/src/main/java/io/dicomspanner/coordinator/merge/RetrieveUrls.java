package io.dicomspanner.coordinator.merge;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Builds Retrieve URL (0008,1190) values that point at the proxy, never at a PACS (checklist pitfall 13): the caller's
 * DICOMweb base URL followed by the WADO-RS path of the record's own UIDs, {@code {base}/studies/{study}}, {@code
 * {base}/studies/{study}/series/{series}}, {@code {base}/studies/{study}/series/{series}/instances/{instance}}.
 *
 * <p>A record lacking one of the UIDs on its path, or holding a UID that is not a valid UID (digits and dots, at most
 * 64 characters, PS3.5 §9.1), gets no URL: a broken link is worse than none.
 */
public final class RetrieveUrls {

    private static final Pattern UID = Pattern.compile("[0-9]+(\\.[0-9]+)*");
    private static final int MAX_UID_LENGTH = 64;

    private static final RetrieveUrls NONE = new RetrieveUrls(null);

    private final String baseUrl;

    private RetrieveUrls(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** URLs under a DICOMweb base, e.g. {@code https://spanner.example.org/dicomweb/1}; a trailing slash is ignored. */
    public static RetrieveUrls under(String baseUrl) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (base.isEmpty()) {
            throw new IllegalArgumentException("a DICOMweb base URL is not empty");
        }
        return new RetrieveUrls(base);
    }

    /** No Retrieve URLs: the proxy offers no WADO-RS for these results. */
    public static RetrieveUrls none() {
        return NONE;
    }

    /** Whether Retrieve URLs are built under the proxy's base: false for {@link #none()}. */
    public boolean underProxy() {
        return baseUrl != null;
    }

    /** The Retrieve URL of a record at {@code level}, if the proxy offers retrieval and the record has valid UIDs. */
    public Optional<String> urlOf(QueryLevel level, Attributes record) {
        if (baseUrl == null || level == QueryLevel.PATIENT) {
            return Optional.empty();
        }
        StringBuilder url = new StringBuilder(baseUrl);
        if (!appendSegment(url, "/studies/", record.getString(Tag.STUDY_INSTANCE_UID))) {
            return Optional.empty();
        }
        if (level != QueryLevel.STUDY && !appendSegment(url, "/series/", record.getString(Tag.SERIES_INSTANCE_UID))) {
            return Optional.empty();
        }
        if (level == QueryLevel.IMAGE && !appendSegment(url, "/instances/", record.getString(Tag.SOP_INSTANCE_UID))) {
            return Optional.empty();
        }
        return Optional.of(url.toString());
    }

    private static boolean appendSegment(StringBuilder url, String resource, String uid) {
        if (uid == null || uid.length() > MAX_UID_LENGTH || !UID.matcher(uid).matches()) {
            return false;
        }
        url.append(resource).append(uid);
        return true;
    }
}
