package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.DicomWebEndpoint;

/**
 * The DICOMweb side of a source's settings once every default is filled in.
 *
 * @param secret the basic password or the inline bearer token in clear, sealed before it is stored; null if none
 */
record DicomWebSettings(
        String baseUrl,
        DicomWebEndpoint.Auth auth,
        String username,
        String secret,
        String tokenFile,
        int pageSize,
        boolean includefieldAll,
        boolean fuzzymatching,
        boolean limitOffset,
        int maxResults) {

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "DicomWebSettings[baseUrl=" + baseUrl + ", auth=" + auth + ", username=" + username + ", secret="
                + (secret == null ? "none" : "***") + ", tokenFile=" + tokenFile + ", pageSize=" + pageSize + "]";
    }
}
