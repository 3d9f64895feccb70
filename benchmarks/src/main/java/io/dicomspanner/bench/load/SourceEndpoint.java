package io.dicomspanner.bench.load;

import io.dicomspanner.dicom.net.DicomPeer;

/** A PACS of the config, as the admin API describes it: where the baseline sends its C-FINDs. */
public record SourceEndpoint(
        String name, String aeTitle, String host, int port, String callingAeTitle, boolean tls, int maxAssociations) {
    public DicomPeer peer() {
        return new DicomPeer(host, port, aeTitle, callingAeTitle, tls);
    }
}
