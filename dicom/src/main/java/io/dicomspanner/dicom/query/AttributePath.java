package io.dicomspanner.dicom.query;

import io.dicomspanner.dicom.data.Tag;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An attribute, or an attribute inside sequence items: the tags from the top level down. Written as QIDO-RS writes it
 * (PS3.18 §8.3.4): eight hex digits per tag, joined by dots, e.g. {@code 00400275.00400009}.
 */
public record AttributePath(List<Integer> tags) {

    public AttributePath {
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("an attribute path names at least one tag");
        }
        tags = List.copyOf(tags);
    }

    public static AttributePath of(int... tags) {
        return new AttributePath(java.util.Arrays.stream(tags).boxed().toList());
    }

    /** The top-level attribute: the tag itself, or the outermost sequence. */
    public int topLevelTag() {
        return tags.get(0);
    }

    /** True when the path leads into sequence items. */
    public boolean isNested() {
        return tags.size() > 1;
    }

    @Override
    public String toString() {
        return tags.stream().map(Tag::toHex).collect(Collectors.joining("."));
    }
}
