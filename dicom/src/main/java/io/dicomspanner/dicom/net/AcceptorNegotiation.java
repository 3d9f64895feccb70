package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.pdu.AAssociateAc;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.AsyncOperationsWindow;
import io.dicomspanner.dicom.net.pdu.ImplementationClassUid;
import io.dicomspanner.dicom.net.pdu.ImplementationVersionName;
import io.dicomspanner.dicom.net.pdu.MaxLength;
import io.dicomspanner.dicom.net.pdu.Pdu;
import io.dicomspanner.dicom.net.pdu.PresentationContextAc;
import io.dicomspanner.dicom.net.pdu.PresentationContextRq;
import io.dicomspanner.dicom.net.pdu.RoleSelection;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.dicom.net.pdu.UserIdentityAc;
import io.dicomspanner.dicom.net.pdu.UserIdentityRq;
import io.dicomspanner.dicom.net.pdu.UserInformation;
import io.dicomspanner.dicom.net.pdu.UserInformationItem;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The acceptor's answer to an A-ASSOCIATE-RQ: a reject with the reason PS3.8 §9.3.4 gives, or the accept with one
 * result per proposed presentation context and the negotiated user information.
 */
final class AcceptorNegotiation {
    private AcceptorNegotiation() {}

    /**
     * @param peerCertificates the requestor's verified TLS certificate chain, own certificate first; empty without
     */
    static Pdu answer(
            AAssociateRq rq,
            AcceptorPolicy policy,
            DicomSettings settings,
            SocketAddress remote,
            List<X509Certificate> peerCertificates) {
        if ((rq.protocolVersion() & AAssociateRq.PROTOCOL_VERSION_1) == 0) {
            return AAssociateRj.protocolVersionNotSupported();
        }
        if (!AAssociateRq.DICOM_APPLICATION_CONTEXT.equals(rq.applicationContextName())) {
            return AAssociateRj.applicationContextNotSupported();
        }
        if (policy.openConnections().get() > settings.maxAssociations()) {
            return AAssociateRj.localLimitExceeded();
        }
        if (!policy.calledAeTitles().isEmpty() && !policy.calledAeTitles().contains(rq.calledAeTitle())) {
            return AAssociateRj.calledAeTitleNotRecognized();
        }
        if (!policy.callingAeTitles().isEmpty() && !policy.callingAeTitles().contains(rq.callingAeTitle())) {
            return AAssociateRj.callingAeTitleNotRecognized();
        }
        if (policy.filter() != null) {
            Optional<AAssociateRj> rj = policy.filter().check(rq, remote, peerCertificates);
            if (rj.isPresent()) {
                return rj.get();
            }
        }
        Optional<UserIdentityRq> identity = rq.userInformation().userIdentity();
        boolean identityConfirmed = false;
        if (identity.isEmpty() && policy.userIdentityRequired()) {
            return AAssociateRj.noReasonGiven();
        }
        if (identity.isPresent() && policy.userIdentityVerifier() != null) {
            if (!policy.userIdentityVerifier().verify(identity.get(), rq)) {
                return AAssociateRj.noReasonGiven();
            }
            identityConfirmed = identity.get().positiveResponseRequested();
        }
        return accept(rq, policy.requestHandler(), settings, identityConfirmed);
    }

    private static AAssociateAc accept(
            AAssociateRq rq, DimseRequestHandler handler, DicomSettings settings, boolean identityConfirmed) {
        Set<String> supported = handler.sopClasses();
        Set<String> accepted = new HashSet<>();
        List<PresentationContextAc> answers = new ArrayList<>();
        for (PresentationContextRq pc : rq.presentationContexts()) {
            if (!supported.contains(pc.abstractSyntax())) {
                answers.add(new PresentationContextAc(
                        pc.id(),
                        PresentationContextAc.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid()));
                continue;
            }
            String chosen = null;
            for (TransferSyntax ts : settings.transferSyntaxes()) {
                if (pc.transferSyntaxes().contains(ts.uid())) {
                    chosen = ts.uid();
                    break;
                }
            }
            if (chosen == null) {
                answers.add(new PresentationContextAc(
                        pc.id(),
                        PresentationContextAc.TRANSFER_SYNTAXES_NOT_SUPPORTED,
                        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.uid()));
            } else {
                answers.add(new PresentationContextAc(pc.id(), PresentationContextAc.ACCEPTANCE, chosen));
                accepted.add(pc.abstractSyntax());
            }
        }
        UserInformation proposed = rq.userInformation();
        List<UserInformationItem> items = new ArrayList<>();
        items.add(new MaxLength(settings.maxPduLengthReceive()));
        items.add(new ImplementationClassUid(DicomFile.IMPLEMENTATION_CLASS_UID));
        proposed.asyncOperationsWindow()
                .ifPresent(w -> items.add(new AsyncOperationsWindow(
                        minOfLimits(w.maxOperationsInvoked(), settings.maxOperationsPerformed()),
                        minOfLimits(w.maxOperationsPerformed(), settings.maxOperationsInvoked()))));
        for (RoleSelection role : proposed.roleSelections()) {
            if (accepted.contains(role.sopClassUid())) {
                // the requestor may be SCU as it asks; this side never acts as SCU towards it
                items.add(new RoleSelection(role.sopClassUid(), role.scuRole(), false));
            }
        }
        items.add(new ImplementationVersionName(DicomFile.IMPLEMENTATION_VERSION_NAME));
        for (SopClassExtendedNegotiation ext : proposed.extendedNegotiations()) {
            if (accepted.contains(ext.sopClassUid())) {
                SopClassExtendedNegotiation answer = handler.negotiate(ext);
                if (answer != null) {
                    items.add(answer);
                }
            }
        }
        if (identityConfirmed) {
            items.add(new UserIdentityAc(new byte[0]));
        }
        return new AAssociateAc(
                AAssociateRq.PROTOCOL_VERSION_1,
                rq.calledAeTitle(),
                rq.callingAeTitle(),
                AAssociateRq.DICOM_APPLICATION_CONTEXT,
                answers,
                new UserInformation(items));
    }

    /** The smaller of two window sizes where 0 means unlimited. */
    static int minOfLimits(int a, int b) {
        if (a == 0) {
            return b;
        }
        if (b == 0) {
            return a;
        }
        return Math.min(a, b);
    }
}
