package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.error.InvalidRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The checks of a DICOMweb source's fields that span fields: its base URL and its authentication. */
final class DicomWebRequests {

    private DicomWebRequests() {}

    /** The base URL without trailing slashes, or null (with the problem collected) when it is not a usable one. */
    static URI baseUrl(String text, InvalidRequestException.Collector problems) {
        if (text == null || text.isBlank()) {
            problems.add("base_url", "must not be blank for a source of protocol dicomweb");
            return null;
        }
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            problems.add("base_url", "is not a URL: " + e.getReason());
            return null;
        }
        String scheme = url.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https"))) {
            problems.add("base_url", "must be an http or https URL");
            return null;
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            problems.add("base_url", "must name a host");
            return null;
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            problems.add("base_url", "must have no query or fragment: the searches are made under it");
            return null;
        }
        if (url.getRawUserInfo() != null) {
            problems.add("base_url", "must hold no credentials: give them in auth, where they are stored sealed");
            return null;
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + url.getRawAuthority() + path);
    }

    static DicomWebSettings settings(
            URI url,
            DicomWebAuthRequest auth,
            Integer pageSize,
            Boolean includefieldAll,
            Boolean fuzzymatching,
            Boolean limitOffset,
            Integer maxResults,
            InvalidRequestException.Collector problems) {
        DicomWebEndpoint.Auth type;
        try {
            type = auth == null || auth.type() == null
                    ? DicomWebEndpoint.Auth.NONE
                    : WireEnum.fromWire(DicomWebEndpoint.Auth.class, auth.type());
        } catch (IllegalArgumentException e) {
            return null; // reported by @OneOf on auth.type
        }
        String username = null;
        String secret = null;
        String tokenFile = null;
        switch (type) {
            case NONE -> {
                if (auth != null) {
                    absent("username", auth.username(), type, problems);
                    absent("password", auth.password(), type, problems);
                    absent("token", auth.token(), type, problems);
                    absent("token_file", auth.tokenFile(), type, problems);
                }
            }
            case BASIC -> {
                if (isBlank(auth.username())) {
                    problems.add("auth.username", "must not be blank for auth basic");
                } else if (auth.username().contains(":")) {
                    problems.add("auth.username", "must not contain ':' (HTTP Basic separates the password by it)");
                }
                if (auth.password() == null || auth.password().isEmpty()) {
                    problems.add("auth.password", "must not be empty for auth basic");
                }
                absent("token", auth.token(), type, problems);
                absent("token_file", auth.tokenFile(), type, problems);
                username = auth.username();
                secret = auth.password();
            }
            case BEARER -> {
                absent("username", auth.username(), type, problems);
                absent("password", auth.password(), type, problems);
                boolean inline = !isBlank(auth.token());
                boolean file = !isBlank(auth.tokenFile());
                if (inline == file) {
                    problems.add(
                            "auth.token",
                            "give either token or token_file for auth bearer, not " + (inline ? "both" : "neither"));
                } else if (file && !Path.of(auth.tokenFile()).isAbsolute()) {
                    problems.add("auth.token_file", "must be an absolute path");
                }
                if (inline && !auth.token().strip().matches("[A-Za-z0-9\\-._~+/]+=*")) {
                    problems.add(
                            "auth.token",
                            "must be a bearer token (RFC 6750: letters, digits, -._~+/ and = at the end)");
                }
                secret = inline ? auth.token().strip() : null;
                tokenFile = file ? auth.tokenFile() : null;
            }
        }
        if (url == null) {
            return null;
        }
        return new DicomWebSettings(
                url.toString(),
                type,
                username,
                secret,
                tokenFile,
                Objects.requireNonNullElse(pageSize, DicomSourceRequest.DEFAULT_PAGE_SIZE),
                Objects.requireNonNullElse(includefieldAll, false),
                Objects.requireNonNullElse(fuzzymatching, false),
                Objects.requireNonNullElse(limitOffset, true),
                Objects.requireNonNullElse(maxResults, 0));
    }

    private static void absent(
            String field, String value, DicomWebEndpoint.Auth type, InvalidRequestException.Collector problems) {
        if (value != null) {
            problems.add("auth." + field, "does not apply to auth " + type.wire());
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
