package io.dicomspanner.dicom.net.pdu;

import java.util.Arrays;
import java.util.Objects;

/**
 * User identity negotiation sub-item, answer form (59H, PS3.7 Annex D.3.3.7): sent by an acceptor that verified the
 * identity and was asked for a positive response. Empty for user name types; a token for Kerberos/SAML/JWT.
 *
 * @param serverResponse held as given, not copied
 */
public record UserIdentityAc(byte[] serverResponse) implements UserInformationItem {
    public UserIdentityAc {
        Objects.requireNonNull(serverResponse, "serverResponse");
    }

    @Override
    public int itemType() {
        return USER_IDENTITY_AC;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserIdentityAc u && Arrays.equals(u.serverResponse, serverResponse);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(serverResponse);
    }

    @Override
    public String toString() {
        return "UserIdentityAc[" + serverResponse.length + " bytes]";
    }
}
