package io.dicomspanner.dicom.net.pdu;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The user information item (50H, PS3.8 §9.3.2.3): its sub-items in the order they are sent. Sub-items of types this
 * implementation does not know are skipped on receipt, as PS3.7 Annex D asks.
 */
public record UserInformation(List<UserInformationItem> items) {

    public UserInformation {
        items = List.copyOf(items);
    }

    public static UserInformation of(UserInformationItem... items) {
        return new UserInformation(List.of(items));
    }

    /** The receive limit the sender announced (0 = unlimited), or 0 when the sub-item is missing. */
    public long maxPduLength() {
        MaxLength m = first(MaxLength.class);
        return m == null ? 0 : m.maxPduLength();
    }

    /** The implementation class UID, or {@code null} if the peer left out this mandatory sub-item. */
    public String implementationClassUid() {
        ImplementationClassUid u = first(ImplementationClassUid.class);
        return u == null ? null : u.uid();
    }

    /** The implementation version name, or {@code null}. */
    public String implementationVersionName() {
        ImplementationVersionName n = first(ImplementationVersionName.class);
        return n == null ? null : n.name();
    }

    public Optional<AsyncOperationsWindow> asyncOperationsWindow() {
        return Optional.ofNullable(first(AsyncOperationsWindow.class));
    }

    public List<RoleSelection> roleSelections() {
        return all(RoleSelection.class);
    }

    public List<SopClassExtendedNegotiation> extendedNegotiations() {
        return all(SopClassExtendedNegotiation.class);
    }

    /** The extended negotiation for one SOP class, if sent. */
    public Optional<SopClassExtendedNegotiation> extendedNegotiation(String sopClassUid) {
        for (SopClassExtendedNegotiation e : extendedNegotiations()) {
            if (e.sopClassUid().equals(sopClassUid)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public Optional<UserIdentityRq> userIdentity() {
        return Optional.ofNullable(first(UserIdentityRq.class));
    }

    public Optional<UserIdentityAc> userIdentityResponse() {
        return Optional.ofNullable(first(UserIdentityAc.class));
    }

    private <T extends UserInformationItem> T first(Class<T> type) {
        for (UserInformationItem item : items) {
            if (type.isInstance(item)) {
                return type.cast(item);
            }
        }
        return null;
    }

    private <T extends UserInformationItem> List<T> all(Class<T> type) {
        List<T> found = new ArrayList<>();
        for (UserInformationItem item : items) {
            if (type.isInstance(item)) {
                found.add(type.cast(item));
            }
        }
        return List.copyOf(found);
    }
}
