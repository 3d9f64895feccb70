package io.dicomspanner.dicom.net.pdu;

/** Item types of the variable fields of A-ASSOCIATE-RQ/AC (PS3.8 §9.3.2 and §9.3.3). */
final class ItemType {
    static final int APPLICATION_CONTEXT = 0x10;
    static final int PRESENTATION_CONTEXT_RQ = 0x20;
    static final int PRESENTATION_CONTEXT_AC = 0x21;
    static final int ABSTRACT_SYNTAX = 0x30;
    static final int TRANSFER_SYNTAX = 0x40;
    static final int USER_INFORMATION = 0x50;

    private ItemType() {}
}
