package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/**
 * How the spanner authenticates towards a DICOMweb source: {@code none}, {@code basic} (username and password) or
 * {@code bearer} (a token inline, or a file on the workers' hosts that holds it). Secrets are stored sealed and never
 * shown again.
 */
public record DicomWebAuthRequest(
        @Schema(
                allowableValues = {"none", "basic", "bearer"},
                defaultValue = "none")
        @OneOf(DicomWebEndpoint.Auth.class)
        String type,

        @Size(max = 256) String username,

        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(max = 1024)
        String password,

        @Schema(accessMode = Schema.AccessMode.WRITE_ONLY) @Size(max = 8192)
        String token,

        @Schema(description = "An absolute path on the workers' hosts; the token is read from it at each request")
        @Size(max = 1024)
        String tokenFile) {

    /** Never shows a secret: request bodies end up in debug logs. */
    @Override
    public String toString() {
        return "DicomWebAuthRequest[type=" + type + ", username=" + username + ", password="
                + (password == null ? "none" : "***") + ", token=" + (token == null ? "none" : "***")
                + ", tokenFile=" + tokenFile + "]";
    }
}
