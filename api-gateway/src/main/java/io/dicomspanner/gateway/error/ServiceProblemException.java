package io.dicomspanner.gateway.error;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A request that was valid but could not be answered for a reason outside the gateway: a source failed (502), the
 * deadline passed (504), the broker refused the work (503), or nothing acceptable can be produced (406). The detail
 * names sources and reasons, never request values (they may be PHI).
 */
public class ServiceProblemException extends RuntimeException {

    private final HttpStatus status;
    private final Duration retryAfter;
    private final HttpHeaders headers = new HttpHeaders();

    public ServiceProblemException(HttpStatus status, String detail) {
        this(status, detail, null);
    }

    /** With {@code retryAfter}, the answer carries a {@code Retry-After} header (whole seconds, at least 1). */
    public ServiceProblemException(HttpStatus status, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Adds a header to the answer (such as the query id), for the code that throws to say more than the body. */
    public ServiceProblemException withHeader(String name, String value) {
        headers.add(name, value);
        return this;
    }

    public HttpHeaders headers() {
        return HttpHeaders.readOnlyHttpHeaders(headers);
    }
}
