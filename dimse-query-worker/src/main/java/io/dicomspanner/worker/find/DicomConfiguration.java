package io.dicomspanner.worker.find;

import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.pdu.SopClassExtendedNegotiation;
import io.dicomspanner.worker.WorkerProperties;
import io.netty.handler.ssl.SslContext;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One DICOM client for the whole process, with TLS for the sources that ask for it. */
@Configuration(proxyBeanMethods = false)
public class DicomConfiguration {

    @Bean
    DicomClientTls dicomClientTls(WorkerProperties properties) {
        return new DicomClientTls(properties.tls());
    }

    /** Over TLS for sources that ask for it, with the context of {@link DicomClientTls}, kept current. */
    @Bean(destroyMethod = "close")
    DicomClient dicomClient(WorkerProperties properties, DicomClientTls tls, SslBundles bundles) {
        WorkerProperties.Dicom d = properties.dicom();
        DicomSettings settings = DicomSettings.builder()
                .connectTimeout(d.connectTimeout())
                .associateTimeout(d.associateTimeout())
                .responseTimeout(d.responseTimeout())
                .cancelTimeout(d.cancelTimeout())
                .eventLoopThreads(d.eventLoopThreads())
                .build();
        DicomClient client = new DicomClient(settings, (SslContext) null, null, null);
        tls.applyTo(client, bundles);
        return client;
    }

    /**
     * What a C-FIND association proposes: verification and every C-FIND model with relational queries and combined
     * date-time matching, so the negotiation tells which of the two a PACS really supports.
     */
    static AssociationRequest queryRequest(DicomPeer peer) {
        List<String> sopClasses = new ArrayList<>();
        sopClasses.add(SopClasses.VERIFICATION);
        sopClasses.addAll(SopClasses.QUERY_FIND);
        List<SopClassExtendedNegotiation> options = new ArrayList<>();
        for (String find : SopClasses.QUERY_FIND) {
            options.add(new SopClassExtendedNegotiation(find, new byte[] {1, 1}));
        }
        return new AssociationRequest(
                peer.calledAeTitle(), peer.callingAeTitle(), sopClasses, List.of(), options, null);
    }
}
