package io.dicomspanner.gateway.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The web console's settings ({@code spanner.console.*}, docs/configuration.md).
 *
 * @param sessionIdleTimeout a session unused this long ends; the user signs in again (whole seconds, at least 1 s)
 * @param pageSize rows of an answer shown per page, and queries per page of "My queries"
 * @param statusPollInterval how often a page asks for the state of a query it watches (and for a tested connection's
 *     outcome)
 * @param echoWait how long a "Test connection" waits for the source's workers to record the C-ECHO's outcome
 */
@ConfigurationProperties("spanner.console")
public record ConsoleProperties(
        @DefaultValue("30m") Duration sessionIdleTimeout,
        @DefaultValue("50") int pageSize,
        @DefaultValue("500ms") Duration statusPollInterval,
        @DefaultValue("30s") Duration echoWait) {

    /** Longest page: a table of more rows is more than a reader scrolls through. */
    static final int MAX_PAGE_SIZE = 500;

    public ConsoleProperties {
        if (sessionIdleTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("spanner.console.session-idle-timeout must be at least 1s");
        }
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("spanner.console.page-size must be 1 to " + MAX_PAGE_SIZE);
        }
        if (statusPollInterval.toMillis() < 100 || statusPollInterval.toSeconds() > 60) {
            throw new IllegalArgumentException("spanner.console.status-poll-interval must be 100ms to 60s");
        }
        if (echoWait.toSeconds() < 1 || echoWait.toMinutes() > 10) {
            throw new IllegalArgumentException("spanner.console.echo-wait must be 1s to 10m");
        }
    }

    /** The idle timeout as the servlet container counts it. */
    int sessionIdleSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, sessionIdleTimeout.toSeconds());
    }
}
