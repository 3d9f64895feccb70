package io.dicomspanner.dicom.net.pdu;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * User identity negotiation sub-item, request form (58H, PS3.7 Annex D.3.3.7). For {@link #USERNAME} the primary
 * field is the UTF-8 user name; for {@link #USERNAME_AND_PASSCODE} the secondary field holds the passcode. The other
 * types carry a token in the primary field.
 *
 * @param primaryField held as given, not copied
 * @param secondaryField held as given, not copied; empty unless the type is {@link #USERNAME_AND_PASSCODE}
 */
public record UserIdentityRq(int type, boolean positiveResponseRequested, byte[] primaryField, byte[] secondaryField)
        implements UserInformationItem {
    public static final int USERNAME = 1;
    public static final int USERNAME_AND_PASSCODE = 2;
    public static final int KERBEROS = 3;
    public static final int SAML = 4;
    public static final int JWT = 5;

    private static final byte[] NONE = new byte[0];

    public UserIdentityRq {
        AAssociateRj.checkByte(type, "user identity type");
        Objects.requireNonNull(primaryField, "primaryField");
        secondaryField = secondaryField == null ? NONE : secondaryField;
    }

    public static UserIdentityRq username(String username, boolean positiveResponseRequested) {
        return new UserIdentityRq(USERNAME, positiveResponseRequested, username.getBytes(StandardCharsets.UTF_8), NONE);
    }

    public static UserIdentityRq usernameAndPasscode(
            String username, String passcode, boolean positiveResponseRequested) {
        return new UserIdentityRq(
                USERNAME_AND_PASSCODE,
                positiveResponseRequested,
                username.getBytes(StandardCharsets.UTF_8),
                passcode.getBytes(StandardCharsets.UTF_8));
    }

    /** The user name for types 1 and 2 (UTF-8), else {@code null}. */
    public String username() {
        return type == USERNAME || type == USERNAME_AND_PASSCODE
                ? new String(primaryField, StandardCharsets.UTF_8)
                : null;
    }

    /** The passcode for type 2 (UTF-8), else {@code null}. */
    public String passcode() {
        return type == USERNAME_AND_PASSCODE ? new String(secondaryField, StandardCharsets.UTF_8) : null;
    }

    @Override
    public int itemType() {
        return USER_IDENTITY_RQ;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityRq u
                && u.type == type
                && u.positiveResponseRequested == positiveResponseRequested
                && Arrays.equals(u.primaryField, primaryField)
                && Arrays.equals(u.secondaryField, secondaryField);
    }

    @Override
    public int hashCode() {
        return type * 31 + Arrays.hashCode(primaryField);
    }

    /** Never shows the passcode or a token; shows the user name, which identifies staff, not patients. */
    @Override
    public String toString() {
        String who = username() != null ? "user '" + username() + "'" : primaryField.length + "-byte token";
        return "UserIdentityRq[type " + type + ", " + who + (positiveResponseRequested ? ", response requested" : "")
                + "]";
    }
}
