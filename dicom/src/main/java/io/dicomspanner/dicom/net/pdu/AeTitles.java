package io.dicomspanner.dicom.net.pdu;

import java.util.Objects;

/** Rules for Application Entity titles (PS3.5 §6.2, VR AE) as the Upper Layer carries them. */
public final class AeTitles {
    /** An AE title field in A-ASSOCIATE-RQ/AC is 16 bytes. */
    public static final int MAX_LENGTH = 16;

    private AeTitles() {}

    /**
     * Checks an AE title this side is about to send: 1 to 16 characters of the default repertoire, no backslash, no
     * control characters, not only spaces.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static String requireValid(String aeTitle, String what) {
        Objects.requireNonNull(aeTitle, what);
        if (aeTitle.isBlank() || aeTitle.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    what + " must be 1 to 16 characters, not only spaces: '" + aeTitle + "'");
        }
        for (int i = 0; i < aeTitle.length(); i++) {
            char c = aeTitle.charAt(i);
            if (c < 0x20 || c > 0x7E || c == '\\') {
                throw new IllegalArgumentException(
                        what + " has a character not allowed in an AE title: '" + aeTitle + "'");
            }
        }
        return aeTitle;
    }

    static void checkWireLength(String aeTitle, String what) {
        Objects.requireNonNull(aeTitle, what);
        if (aeTitle.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " longer than 16 characters: '" + aeTitle + "'");
        }
    }
}
