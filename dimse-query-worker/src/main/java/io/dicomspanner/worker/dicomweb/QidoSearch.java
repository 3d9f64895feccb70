package io.dicomspanner.worker.dicomweb;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One QIDO-RS search (PS3.18 §10.6) made from a C-FIND identifier: the resource of its level, below a study (and a
 * series) where the identifier names a single one, its non-empty keys as matching parameters and its empty keys as
 * {@code includefield}s. Pure: builds the URIs of its pages, does no I/O.
 *
 * @param resource the search path under the base URL, e.g. {@code /studies/1.2.3/series}
 * @param parameters {@code name=value} pairs, already percent-encoded, without paging
 * @param fromPath the UIDs the path names, by tag: a record the archive answers without them gets them from the path
 */
public record QidoSearch(String resource, List<String> parameters, Attributes fromPath) {

    /**
     * @param keys the identifier as the C-FIND would send it (QueryRetrieveLevel set)
     * @param includefieldAll the archive understands {@code includefield=all}
     */
    public static QidoSearch of(QueryLevel level, Attributes keys, boolean includefieldAll) {
        String study = single(keys, Tag.STUDY_INSTANCE_UID);
        String series = single(keys, Tag.SERIES_INSTANCE_UID);
        Attributes fromPath = new Attributes();
        StringBuilder resource = new StringBuilder();
        switch (level) {
            case STUDY -> resource.append("/studies");
            case SERIES -> {
                if (study != null) {
                    resource.append("/studies/").append(segment(study));
                    fromPath.setString(Tag.STUDY_INSTANCE_UID, VR.UI, study);
                }
                resource.append("/series");
            }
            case IMAGE -> {
                if (study != null) {
                    resource.append("/studies/").append(segment(study));
                    fromPath.setString(Tag.STUDY_INSTANCE_UID, VR.UI, study);
                    if (series != null) {
                        resource.append("/series/").append(segment(series));
                        fromPath.setString(Tag.SERIES_INSTANCE_UID, VR.UI, series);
                    }
                }
                resource.append("/instances");
            }
            default -> throw new IllegalArgumentException("QIDO-RS has no search at level " + level);
        }
        List<String> parameters = new ArrayList<>();
        List<String> included = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int tag = keys.tagAt(i);
            if (tag == Tag.QUERY_RETRIEVE_LEVEL || tag == Tag.SPECIFIC_CHARACTER_SET || fromPath.contains(tag)) {
                continue;
            }
            String name = attributeId(tag);
            VR vr = keys.vrAt(i);
            if (vr == VR.SQ || keys.isEmptyValue(tag)) {
                // a sequence cannot be matched by a parameter: it is asked back and checked by the worker
                included.add(name);
            } else {
                String[] values = keys.getStrings(tag);
                String value = String.join(vr == VR.UI ? "," : "\\", values);
                parameters.add(name + "=" + encode(value));
            }
        }
        if (includefieldAll) {
            parameters.add("includefield=all");
        } else {
            for (String name : included) {
                parameters.add("includefield=" + name);
            }
        }
        return new QidoSearch(resource.toString(), List.copyOf(parameters), fromPath);
    }

    /** The URI of one page: all of it ({@code limit} 0) or {@code limit} results from {@code offset}. */
    public URI page(String baseUrl, int limit, int offset) {
        List<String> all = new ArrayList<>(parameters);
        if (limit > 0) {
            all.add("limit=" + limit);
            all.add("offset=" + offset);
        }
        return URI.create(baseUrl + resource + (all.isEmpty() ? "" : "?" + String.join("&", all)));
    }

    /** The record completed with the UIDs the path named, where the archive left them out. */
    public Attributes completed(Attributes record) {
        for (int i = 0; i < fromPath.size(); i++) {
            int tag = fromPath.tagAt(i);
            if (!record.contains(tag) || record.isEmptyValue(tag)) {
                record.copyFrom(fromPath, tag);
            }
        }
        return record;
    }

    /** The keyword of a standard attribute, else its tag as 8 hex digits (both are QIDO-RS attribute IDs). */
    static String attributeId(int tag) {
        String keyword = ElementDictionary.standard().keywordOf(tag);
        return keyword != null && !keyword.isEmpty() ? keyword : String.format(Locale.ROOT, "%08X", tag);
    }

    private static String single(Attributes keys, int tag) {
        String[] values = keys.contains(tag) ? keys.getStrings(tag) : null;
        if (values == null
                || values.length != 1
                || values[0].isBlank()
                || values[0].contains("*")
                || values[0].contains("?")) {
            return null;
        }
        return values[0].strip();
    }

    private static String segment(String uid) {
        return encode(uid);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
