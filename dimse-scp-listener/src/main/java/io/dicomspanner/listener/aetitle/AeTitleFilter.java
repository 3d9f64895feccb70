package io.dicomspanner.listener.aetitle;

import io.dicomspanner.common.config.SpanningSettings;
import io.dicomspanner.dicom.net.AssociationFilter;
import io.dicomspanner.dicom.net.pdu.AAssociateRj;
import io.dicomspanner.dicom.net.pdu.AAssociateRq;
import io.dicomspanner.listener.audit.DimseAudit;
import java.net.SocketAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who may associate: the called AE title must name an enabled spanning config (else A-ASSOCIATE-RJ permanent, called
 * AE title not recognized), and the calling AE title must be on that config's allow-list when it has one (else calling
 * AE title not recognized). AE titles are not PHI; they are logged so an operator can see who is turned away.
 */
@Component
public class AeTitleFilter implements AssociationFilter {

    private static final Logger log = LoggerFactory.getLogger(AeTitleFilter.class);

    private final ScpConfigs configs;
    private final DimseAudit audit;

    public AeTitleFilter(ScpConfigs configs, DimseAudit audit) {
        this.configs = configs;
        this.audit = audit;
    }

    @Override
    public Optional<AAssociateRj> check(AAssociateRq request, SocketAddress remoteAddress) {
        Optional<SpanningSettings> config = configs.byAeTitle(request.calledAeTitle());
        if (config.isEmpty() || !config.get().enabled()) {
            log.info(
                    "Association from {} ({}) rejected: called AE title {} names no enabled spanning config",
                    request.callingAeTitle(),
                    remoteAddress,
                    request.calledAeTitle());
            audit.associationRefused(
                    request.callingAeTitle(),
                    request.calledAeTitle(),
                    remoteAddress,
                    null,
                    "called AE title names no enabled spanning config");
            return Optional.of(AAssociateRj.calledAeTitleNotRecognized());
        }
        if (!config.get().allowsCaller(request.callingAeTitle())) {
            log.info(
                    "Association from {} ({}) rejected: not allowed to call {}",
                    request.callingAeTitle(),
                    remoteAddress,
                    request.calledAeTitle());
            audit.associationRefused(
                    request.callingAeTitle(),
                    request.calledAeTitle(),
                    remoteAddress,
                    null,
                    "calling AE title not allowed to call this config");
            return Optional.of(AAssociateRj.callingAeTitleNotRecognized());
        }
        return Optional.empty();
    }
}
