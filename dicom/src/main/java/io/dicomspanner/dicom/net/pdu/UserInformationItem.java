package io.dicomspanner.dicom.net.pdu;

/** A sub-item of the user information item (50H, PS3.7 Annex D.3.3 and PS3.8 Annex D). */
public sealed interface UserInformationItem
        permits MaxLength,
                ImplementationClassUid,
                AsyncOperationsWindow,
                RoleSelection,
                ImplementationVersionName,
                SopClassExtendedNegotiation,
                UserIdentityRq,
                UserIdentityAc {
    int MAX_LENGTH = 0x51;
    int IMPLEMENTATION_CLASS_UID = 0x52;
    int ASYNC_OPERATIONS_WINDOW = 0x53;
    int ROLE_SELECTION = 0x54;
    int IMPLEMENTATION_VERSION_NAME = 0x55;
    int SOP_CLASS_EXTENDED_NEGOTIATION = 0x56;
    int USER_IDENTITY_RQ = 0x58;
    int USER_IDENTITY_AC = 0x59;

    /** The sub-item type byte. */
    int itemType();
}
