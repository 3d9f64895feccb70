package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.pdu.AAssociateAc;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.dicom.net.pdu.AsyncOperationsWindow;
import io.dicomspanner.dicom.net.pdu.PresentationContextAc;
import io.dicomspanner.dicom.net.pdu.PresentationContextRq;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an established association agreed on, seen from one side: the usable presentation contexts, the largest
 * P-DATA-TF this side may send, and how many operations this side may invoke and must perform at once (0 =
 * unlimited).
 */
record Negotiated(
        AAssociateRq rq,
        AAssociateAc ac,
        Map<Integer, PresentationContext> contexts,
        int maxPduLengthSend,
        int maxOperationsInvoked,
        int maxOperationsPerformed) {

    /**
     * @param requestor whether this side sent the A-ASSOCIATE-RQ
     * @param rejected receives a line for each accepted context that cannot be used (transfer syntax not proposed or
     *     not supported here)
     */
    static Negotiated of(
            AAssociateRq rq, AAssociateAc ac, boolean requestor, DicomSettings settings, List<String> rejected) {
        Map<Integer, PresentationContext> contexts = new TreeMap<>();
        for (PresentationContextAc answer : ac.presentationContexts()) {
            if (!answer.isAccepted()) {
                continue;
            }
            PresentationContextRq proposed = rq.presentationContext(answer.id());
            TransferSyntax ts = TransferSyntax.of(answer.transferSyntax());
            if (proposed == null
                    || !proposed.transferSyntaxes().contains(answer.transferSyntax())
                    || !settings.transferSyntaxes().contains(ts)) {
                rejected.add("context " + answer.id() + " accepted with transfer syntax " + answer.transferSyntax()
                        + (proposed == null ? " but never proposed" : " which was not proposed"));
                continue;
            }
            contexts.put(answer.id(), new PresentationContext(answer.id(), proposed.abstractSyntax(), ts));
        }
        long peerMax = (requestor ? ac.userInformation() : rq.userInformation()).maxPduLength();
        int sendMax =
                peerMax == 0 || peerMax > settings.maxPduLengthSend() ? settings.maxPduLengthSend() : (int) peerMax;
        AsyncOperationsWindow w = ac.userInformation().asyncOperationsWindow().orElse(new AsyncOperationsWindow(1, 1));
        int invoked = requestor ? w.maxOperationsInvoked() : w.maxOperationsPerformed();
        int performed = requestor ? w.maxOperationsPerformed() : w.maxOperationsInvoked();
        return new Negotiated(rq, ac, contexts, sendMax, invoked, performed);
    }

    /** The first accepted context for an abstract syntax, or {@code null}. */
    PresentationContext context(String abstractSyntax) {
        for (PresentationContext pc : contexts.values()) {
            if (pc.abstractSyntax().equals(abstractSyntax)) {
                return pc;
            }
        }
        return null;
    }

    List<PresentationContext> contextList() {
        return List.copyOf(new ArrayList<>(contexts.values()));
    }
}
