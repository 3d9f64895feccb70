package io.dicomspanner.coordinator.merge;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Shapes a merged record into a QIDO-RS search result (PS3.18 §10.6.3.3). PACS add attributes nobody asked for and
 * drop asked-for ones that are empty (checklist pitfall 5), so the result is built from a whitelist, not from what
 * arrived:
 *
 * <ul>
 *   <li>Kept: the resource's default attributes ({@link QidoResource#responseAttributes()}: its level's table and, for
 *       paths that leave an upper level open, that level's table too); the requested attributes, meaning the query's
 *       matching keys and includefield attributes, unless they belong to a level below the resource, which is never
 *       returned; with {@code includefield=all}, every attribute of the resource's own level (patient attributes
 *       count as study level) that a source gave; a requested private attribute together with its private creator;
 *       and Retrieve AE Title, the record's provenance (every AE that holds it).
 *   <li>Filled: every required attribute of the resource and every requested standard attribute that no source gave
 *       is present and empty, with its dictionary VR.
 *   <li>Rewritten: Modalities in Study becomes a proper multi-valued attribute (values split where a PACS sent
 *       "CT\PT" as one, each modality once, sorted); Retrieve URL is built from the record's UIDs under the proxy's
 *       base URL where one is set (where retrieval is served under the proxy's paths), replacing any a source sent;
 *       without one, the Retrieve URL a source sent (a DICOMweb archive's own, of the copy the merge kept) is kept.
 *   <li>Dropped always: Specific Character Set (the text is decoded; the JSON is UTF-8), Query/Retrieve Level.
 * </ul>
 *
 * <p>Immutable and thread-safe; one instance serves a whole answer.
 */
public final class QidoResponseShape {

    private static final Set<Integer> NEVER_RETURNED =
            Set.of(Tag.SPECIFIC_CHARACTER_SET, Tag.QUERY_RETRIEVE_LEVEL, Tag.RETRIEVE_URL);

    private final QidoResource resource;
    private final SortedSet<Integer> requested;
    private final boolean includeAll;
    private final RetrieveUrls retrieveUrls;

    /**
     * @param resource the QIDO-RS resource searched
     * @param requestedAttributes the top-level tags of the query's matching keys and includefield attributes; those
     *     from a level below the resource are ignored (the gateway refuses them before a query is sent)
     * @param includeAllAttributes true for {@code includefield=all}
     * @param retrieveUrls how to build Retrieve URLs, or {@link RetrieveUrls#none()}
     */
    public QidoResponseShape(
            QidoResource resource,
            Set<Integer> requestedAttributes,
            boolean includeAllAttributes,
            RetrieveUrls retrieveUrls) {
        this.resource = Objects.requireNonNull(resource, "resource");
        this.retrieveUrls = Objects.requireNonNull(retrieveUrls, "retrieveUrls");
        this.includeAll = includeAllAttributes;
        SortedSet<Integer> kept = new TreeSet<>(Integer::compareUnsigned);
        for (int tag : requestedAttributes) {
            if (NEVER_RETURNED.contains(tag) || !AttributeLevels.isAllowedAt(tag, resource.level())) {
                continue;
            }
            kept.add(tag);
            if (Tag.isPrivate(tag) && Tag.element(tag) >= 0x1000) {
                kept.add(privateCreatorOf(tag));
            }
        }
        this.requested = Collections.unmodifiableSortedSet(kept);
    }

    public QidoResource resource() {
        return resource;
    }

    /** The requested attributes this shape returns, in tag order. */
    public SortedSet<Integer> requestedAttributes() {
        return requested;
    }

    /** The search result for one merged record, as a new data set; {@code merged} is left unchanged. */
    public Attributes shape(Attributes merged) {
        Attributes out = new Attributes();
        for (int i = 0; i < merged.size(); i++) {
            int tag = merged.tagAt(i);
            if (isReturned(tag)) {
                out.copyFrom(merged, tag);
            }
        }
        if (out.contains(Tag.MODALITIES_IN_STUDY)) {
            Set<String> modalities = new TreeSet<>();
            RecordMerger.addModalities(out.getStrings(Tag.MODALITIES_IN_STUDY), modalities);
            out.setString(Tag.MODALITIES_IN_STUDY, VR.CS, modalities.toArray(String[]::new));
        }
        if (retrieveUrls.underProxy()) {
            Optional<String> url = retrieveUrls.urlOf(resource.level(), merged);
            url.ifPresent(u -> out.setString(Tag.RETRIEVE_URL, VR.UR, u));
        } else if (merged.contains(Tag.RETRIEVE_URL) && !merged.isEmptyValue(Tag.RETRIEVE_URL)) {
            // the source's own (a DICOMweb archive's), which serves it: never one of the proxy's, which serves none
            out.copyFrom(merged, Tag.RETRIEVE_URL);
        }
        fillEmpty(out, resource.requiredResponseAttributes());
        fillEmpty(out, requested);
        return out;
    }

    private boolean isReturned(int tag) {
        if (NEVER_RETURNED.contains(tag)) {
            return false;
        }
        return tag == Tag.RETRIEVE_AE_TITLE
                || resource.responseAttributes().contains(tag)
                || requested.contains(tag)
                || (includeAll && isOfResourceLevel(tag));
    }

    private boolean isOfResourceLevel(int tag) {
        Optional<QueryLevel> own = AttributeLevels.levelOf(tag);
        if (own.isEmpty() || Tag.isPrivate(tag)) {
            return false;
        }
        QueryLevel level = resource.level();
        return own.get() == level || (level == QueryLevel.STUDY && own.get() == QueryLevel.PATIENT);
    }

    private static void fillEmpty(Attributes out, Set<Integer> tags) {
        for (int tag : tags) {
            if (!out.contains(tag) && !Tag.isPrivate(tag)) {
                out.setNull(tag, ElementDictionary.standard().vrOf(tag));
            }
        }
    }

    /** (gggg,xxyy) is reserved by the creator in (gggg,00xx) (PS3.5 §7.8.1). */
    private static int privateCreatorOf(int tag) {
        return Tag.of(Tag.group(tag), Tag.element(tag) >>> 8);
    }
}
