package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.AeTitles;
import io.dicomspanner.dicom.net.pdu.AsyncOperationsWindow;
import io.dicomspanner.dicom.net.pdu.ImplementationClassUid;
import io.dicomspanner.dicom.net.pdu.ImplementationVersionName;
import io.dicomspanner.dicom.net.pdu.MaxLength;
import io.dicomspanner.dicom.net.pdu.PresentationContextRq;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;
import io.dicomspanner.dicom.net.pdu.UserInformation;
import io.dicomspanner.dicom.net.pdu.UserInformationItem;
import java.util.ArrayList;
import java.util.List;

/**
 * What a requestor proposes: AE titles, abstract syntaxes with the transfer syntaxes to offer for each, SOP class
 * extended negotiation, and an optional user identity. The maximum length and the asynchronous operations window come
 * from {@link DicomSettings} when the A-ASSOCIATE-RQ is built.
 *
 * @param abstractSyntaxes the SOP classes to propose, each in its own presentation context
 * @param transferSyntaxes offered for every abstract syntax, in order of preference; empty = those of the settings
 * @param userIdentity {@code null} for none
 */
public record AssociationRequest(
        String calledAeTitle,
        String callingAeTitle,
        List<String> abstractSyntaxes,
        List<TransferSyntax> transferSyntaxes,
        List<SopClassExtendedNegotiation> extendedNegotiations,
        UserIdentityRq userIdentity) {

    public AssociationRequest {
        AeTitles.requireValid(calledAeTitle, "called AE title");
        AeTitles.requireValid(callingAeTitle, "calling AE title");
        abstractSyntaxes = List.copyOf(abstractSyntaxes);
        if (abstractSyntaxes.isEmpty() || abstractSyntaxes.size() > 128) {
            throw new IllegalArgumentException("propose 1 to 128 abstract syntaxes, not " + abstractSyntaxes.size());
        }
        transferSyntaxes = List.copyOf(transferSyntaxes);
        extendedNegotiations = List.copyOf(extendedNegotiations);
    }

    /**
     * Verification and the three C-FIND models (Study Root, Patient Root, Patient/Study Only: some archives offer only
     * one), relational queries proposed for each FIND model.
     */
    public static AssociationRequest forQuery(String calledAeTitle, String callingAeTitle) {
        List<String> sopClasses = new ArrayList<>();
        sopClasses.add(SopClasses.VERIFICATION);
        sopClasses.addAll(SopClasses.QUERY_FIND);
        List<SopClassExtendedNegotiation> relational = new ArrayList<>();
        for (String find : SopClasses.QUERY_FIND) {
            relational.add(new SopClassExtendedNegotiation(find, new byte[] {1}));
        }
        return new AssociationRequest(calledAeTitle, callingAeTitle, sopClasses, List.of(), relational, null);
    }

    /** Verification only, for C-ECHO. */
    public static AssociationRequest forEcho(String calledAeTitle, String callingAeTitle) {
        return new AssociationRequest(
                calledAeTitle, callingAeTitle, List.of(SopClasses.VERIFICATION), List.of(), List.of(), null);
    }

    public AssociationRequest withUserIdentity(UserIdentityRq identity) {
        return new AssociationRequest(
                calledAeTitle, callingAeTitle, abstractSyntaxes, transferSyntaxes, extendedNegotiations, identity);
    }

    public AssociationRequest withTransferSyntaxes(List<TransferSyntax> syntaxes) {
        return new AssociationRequest(
                calledAeTitle, callingAeTitle, abstractSyntaxes, syntaxes, extendedNegotiations, userIdentity);
    }

    public AssociationRequest withExtendedNegotiations(List<SopClassExtendedNegotiation> negotiations) {
        return new AssociationRequest(
                calledAeTitle, callingAeTitle, abstractSyntaxes, transferSyntaxes, negotiations, userIdentity);
    }

    /** The A-ASSOCIATE-RQ: presentation context IDs 1, 3, 5, ... in the order of {@link #abstractSyntaxes()}. */
    public AAssociateRq toPdu(DicomSettings settings) {
        List<TransferSyntax> offered = transferSyntaxes.isEmpty() ? settings.transferSyntaxes() : transferSyntaxes;
        String[] tsUids = offered.stream().map(TransferSyntax::uid).toArray(String[]::new);
        List<PresentationContextRq> contexts = new ArrayList<>();
        int id = 1;
        for (String abstractSyntax : abstractSyntaxes) {
            contexts.add(PresentationContextRq.of(id, abstractSyntax, tsUids));
            id += 2;
        }
        List<UserInformationItem> items = new ArrayList<>();
        items.add(new MaxLength(settings.maxPduLengthReceive()));
        items.add(new ImplementationClassUid(DicomFile.IMPLEMENTATION_CLASS_UID));
        if (settings.maxOperationsInvoked() != 1) {
            items.add(new AsyncOperationsWindow(settings.maxOperationsInvoked(), 1));
        }
        items.add(new ImplementationVersionName(DicomFile.IMPLEMENTATION_VERSION_NAME));
        items.addAll(extendedNegotiations);
        if (userIdentity != null) {
            items.add(userIdentity);
        }
        return new AAssociateRq(
                AAssociateRq.PROTOCOL_VERSION_1,
                calledAeTitle,
                callingAeTitle,
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                contexts,
                new UserInformation(items));
    }
}
