package io.dicomspanner.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * A-ASSOCIATE-RQ (PS3.8 §9.3.2): who calls whom, the application context, the proposed presentation contexts and the
 * user information.
 *
 * @param protocolVersion bit field; bit 0 set means version 1, the only one defined
 * @param calledAeTitle the AE the requestor wants to reach, without padding
 * @param callingAeTitle the requestor's own AE title, without padding
 * @param applicationContextName always {@link #DICOM_APPLICATION_CONTEXT} in practice
 */
public record AAssociateRq(
        int protocolVersion,
        String calledAeTitle,
        String callingAeTitle,
        String applicationContextName,
        List<PresentationContextRq> presentationContexts,
        UserInformation userInformation)
        implements Pdu {

    public static final int PROTOCOL_VERSION_1 = 0x0001;
    public static final String DICOM_APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    public AAssociateRq {
        AeTitles.checkWireLength(calledAeTitle, "called AE title");
        AeTitles.checkWireLength(callingAeTitle, "calling AE title");
        Objects.requireNonNull(applicationContextName, "applicationContextName");
        presentationContexts = List.copyOf(presentationContexts);
        Objects.requireNonNull(userInformation, "userInformation");
    }

    @Override
    public PduType type() {
        return PduType.A_ASSOCIATE_RQ;
    }

    /** The proposed context with this ID, or {@code null}. */
    public PresentationContextRq presentationContext(int id) {
        for (PresentationContextRq pc : presentationContexts) {
            if (pc.id() == id) {
                return pc;
            }
        }
        return null;
    }
}
