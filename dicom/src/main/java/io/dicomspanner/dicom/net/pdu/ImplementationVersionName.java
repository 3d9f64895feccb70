package io.dicomspanner.dicom.net.pdu;

import java.util.Objects;

/** Implementation version name sub-item (55H, PS3.7 Annex D.3.3.2): 1 to 16 characters. */
public record ImplementationVersionName(String name) implements UserInformationItem {
    public ImplementationVersionName {
        Objects.requireNonNull(name, "name");
        if (name.length() > 16) {
            throw new IllegalArgumentException("implementation version name longer than 16 characters: " + name);
        }
    }

    @Override
    public int itemType() {
        return IMPLEMENTATION_VERSION_NAME;
    }
}
