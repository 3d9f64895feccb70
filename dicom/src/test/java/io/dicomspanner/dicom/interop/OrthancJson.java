package io.dicomspanner.dicom.interop;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Orthanc's "short" JSON form of a data set ({@code ?short}): {@code "gggg,eeee"} to a string (values joined with
 * backslash), {@code null} (empty), or an array of item objects (a sequence). Orthanc has already decoded the text, so
 * values are taken as they are; VRs come from the dictionary, as the form carries none.
 */
final class OrthancJson {
    private OrthancJson() {}

    static Attributes toAttributes(JsonNode object) {
        Attributes attrs = new Attributes();
        fill(attrs, object);
        return attrs;
    }

    private static void fill(Attributes attrs, JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            int tag = Tag.parseHex(field.getKey().replace(",", ""));
            VR vr = ElementDictionary.standard().vrOf(tag);
            JsonNode value = field.getValue();
            if (value.isArray()) {
                Sequence items = attrs.newSequence(tag);
                for (JsonNode item : value) {
                    fill(items.addItem(), item);
                }
            } else if (value.isNull() || value.asString().isEmpty()) {
                attrs.setNull(tag, vr);
            } else if (vr == VR.UN) {
                attrs.setBytes(tag, VR.UN, value.asString().getBytes(StandardCharsets.UTF_8));
            } else if (vr.isSingleValuedText()) {
                attrs.setString(tag, vr, value.asString());
            } else {
                attrs.setString(tag, vr, value.asString().split("\\\\", -1));
            }
        }
    }
}
