package io.dicomspanner.dicom.net.pdu;

import java.util.Objects;

/**
 * SCP/SCU role selection sub-item (54H, PS3.7 Annex D.3.3.4): which roles the association requestor takes for a SOP
 * class. Without it the requestor is SCU only.
 */
public record RoleSelection(String sopClassUid, boolean scuRole, boolean scpRole) implements UserInformationItem {
    public RoleSelection {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
    }

    @Override
    public int itemType() {
        return ROLE_SELECTION;
    }
}
