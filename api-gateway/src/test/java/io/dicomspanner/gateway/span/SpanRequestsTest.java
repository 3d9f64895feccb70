package io.dicomspanner.gateway.span;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpanRequestsTest {

    @Test
    void withoutADicomwebBaseUrlRequestsCarryNoRetrieveBaseUrl() {
        assertThat(requests("").retrieveBaseUrl(1)).isNull();
    }

    @Test
    void retrieveBaseUrlIsTheDicomwebBaseFollowedByTheConfigId() {
        assertThat(requests("https://spanner.example.org/dicomweb/").retrieveBaseUrl(7))
                .isEqualTo("https://spanner.example.org/dicomweb/7");
    }

    private static SpanRequests requests(String dicomwebBaseUrl) {
        SpanProperties properties = new SpanProperties(
                "x",
                "x",
                "x",
                "gw1",
                Duration.ofSeconds(2),
                Duration.ofSeconds(300),
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                Duration.ofHours(2),
                dicomwebBaseUrl);
        return new SpanRequests(null, null, properties, null);
    }
}
