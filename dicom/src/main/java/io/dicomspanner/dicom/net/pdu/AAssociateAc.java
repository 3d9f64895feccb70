package io.dicomspanner.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-AC (PS3.8 §9.3.3): the acceptor's answer to each proposed presentation context and its user
 * information. The AE title fields echo the request's; PS3.8 says they are not tested on receipt.
 */
public record AAssociateAc(
        int protocolVersion,
        String calledAeTitle,
        String callingAeTitle,
        String applicationContextName,
        List<PresentationContextAc> presentationContexts,
        UserInformation userInformation)
        implements Pdu {

    public AAssociateAc {
        AeTitles.checkWireLength(calledAeTitle, "called AE title");
        AeTitles.checkWireLength(callingAeTitle, "calling AE title");
        Objects.requireNonNull(applicationContextName, "applicationContextName");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_AC;
    }

    /** The answer for the context with this ID, or {@code null}. */
    public PresentationContextAc presentationContext(int id) {
        for (PresentationContextAc pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
