package io.dicomspanner.listener.tls;

import io.dicomspanner.dicom.net.AssociationFilter;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Who may associate on the TLS port: whoever the plain port admits ({@code delegate}: called AE title, the config's
 * calling AE allow-list), and whose client certificate may use the calling AE title ({@link CallingAeSubjectRule});
 * otherwise A-ASSOCIATE-RJ rejected-permanent, service-user, calling-AE-title-not-recognized (1/1/3), logged and
 * counted.
 */
public final class TlsAssociationFilter implements AssociationFilter {

    private final AssociationFilter delegate;
    private final CallingAeSubjectRule rule;
    private final TlsEvents events;

    public TlsAssociationFilter(AssociationFilter delegate, CallingAeSubjectRule rule, TlsEvents events) {
        this.delegate = delegate;
        this.rule = rule;
        this.events = events;
    }

    @Override
    public Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress) {
        return check(request, remoteAddress, List.of());
    }

    @Override
    public Optional<AAssociateRj> check(
            AAssociateRq request, SocketAddress remoteAddress, List<X509Certificate> peerCertificates) {
        Optional<AAssociateRj> refused = delegate.check(request, remoteAddress, peerCertificates);
        if (refused.isPresent()) {
            return refused;
        }
        if (!rule.allows(request.callingAeTitle(), peerCertificates)) {
            events.subjectRejected(
                    request.callingAeTitle(),
                    peerCertificates.isEmpty()
                            ? "(none)"
                            : peerCertificates.get(0).getSubjectX500Principal().getName(),
                    remoteAddress);
            return Optional.of(AAssociateRj.callingAeTitleNotRecognized());
        }
        return Optional.empty();
    }
}
