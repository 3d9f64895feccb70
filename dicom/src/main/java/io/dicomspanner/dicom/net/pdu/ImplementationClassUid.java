package io.dicomspanner.dicom.net.pdu;

import java.util.Objects;

/** Implementation class UID sub-item (52H, PS3.7 Annex D.3.3.2): identifies the software at each end. */
public record ImplementationClassUid(String uid) implements UserInformationItem {
    public ImplementationClassUid {
        Objects.requireNonNull(uid, "uid");
    }

    @Override
    public int itemType() {
        return IMPLEMENTATION_CLASS_UID;
    }
}
