package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * CORS on the search paths for the pages of one allowed origin, over real HTTP, RabbitMQ, Redis and PostgreSQL with a
 * {@link TestCoordinator}: preflights answered without a key and not audited, other origins refused, searches from
 * the allowed origin still needing their key and readable by the page (origin, exposed headers).
 */
@TestPropertySource(properties = {"spanner.cors.allowed-origins=http://viewer.test:30080", "spanner.cors.max-age=10m"})
class CrossOriginApiTest extends QidoApiTest {

    static final String ALLOWED = "http://viewer.test:30080";
    static final String EXPOSED = "Warning, X-Query-Id, Location, Retry-After, WWW-Authenticate";

    @Test
    void aPreflightFromTheAllowedOriginIsAnsweredWithoutAKeyAndLeavesNoAuditEvent() {
        Reply dicomweb = preflight("/dicomweb/1/studies?PatientID=12345", ALLOWED, "GET", "authorization,accept");
        Reply spanner = preflight("/api/v1/spanner/qido/studies?PatientID=12345", ALLOWED, "GET", "authorization");

        assertThat(dicomweb.status()).isEqualTo(200);
        assertThat(corsHeaders(dicomweb))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "access-control-allow-origin", List.of(ALLOWED),
                        "access-control-allow-methods", List.of("GET,HEAD"),
                        "access-control-allow-headers", List.of("authorization, accept"),
                        "access-control-expose-headers", List.of(EXPOSED),
                        "access-control-max-age", List.of("600")));
        assertThat(dicomweb.raw().headers().allValues("Vary"))
                .containsExactly("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
        assertThat(dicomweb.raw().body()).isEmpty();
        assertThat(spanner.status()).isEqualTo(200);
        assertThat(corsHeaders(spanner))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "access-control-allow-origin", List.of(ALLOWED),
                        "access-control-allow-methods", List.of("GET,HEAD"),
                        "access-control-allow-headers", List.of("authorization"),
                        "access-control-expose-headers", List.of(EXPOSED),
                        "access-control-max-age", List.of("600")));
        assertThat(coordinator.waitingRequests()).isZero();

        // A refused search after them: once its event is in, the preflights' would be too, had they left any.
        assertThat(search("/dicomweb/1/studies?PatientID=12345", null, null).status())
                .isEqualTo(401);
        List<JsonNode> events = awaitQueryEvents(1);
        assertThat(events.get(0).get("action").asString()).isEqualTo("refused");
        assertThat(events.get(0).get("objects").get("method").asString()).isEqualTo("GET");
    }

    @Test
    void aPreflightFromAnotherOriginIsRefusedWith403AndNoAllowHeaders() {
        Reply refused = preflight("/dicomweb/1/studies", "http://elsewhere.test:30080", "GET", "authorization");

        assertThat(refused.status()).isEqualTo(403);
        assertThat(corsHeaders(refused)).isEmpty();
        assertThat(refused.raw().body()).isEqualTo("Invalid CORS request");
    }

    @Test
    void aPreflightAskingForAMethodThatIsNotAllowedIsRefusedWith403() {
        Reply delete = preflight("/api/v1/spanner/queries/x/status", ALLOWED, "DELETE", "authorization");

        assertThat(delete.status()).isEqualTo(403);
        assertThat(corsHeaders(delete)).isEmpty();
    }

    @Test
    void aPreflightAskingForAHeaderThatIsNotAllowedIsAnsweredWithTheAllowedOnesOnlySoTheBrowserRefuses() {
        Reply customHeader = preflight("/dicomweb/1/studies", ALLOWED, "GET", "authorization,x-debug");

        assertThat(customHeader.status()).isEqualTo(200);
        assertThat(customHeader.header("Access-Control-Allow-Headers")).isEqualTo("authorization");
    }

    @Test
    void aSearchFromTheAllowedOriginIsAnsweredWithItsOriginAndTheHeadersThePageMayRead() {
        CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(
                () -> fromOrigin("/dicomweb/1/studies?PatientID=12345", ALLOWED, queryKey));
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        Reply answered = reply.join();

        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(answered.header("X-Query-Id")).isEqualTo(request.queryId());
        assertThat(corsHeaders(answered))
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "access-control-allow-origin",
                        List.of(ALLOWED),
                        "access-control-expose-headers",
                        List.of(EXPOSED)));
        assertThat(answered.raw().headers().allValues("Vary"))
                .containsExactly("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
    }

    @Test
    void aSearchFromTheAllowedOriginStillNeedsItsKeyAndThePageCanReadThe401() {
        Reply unauthorized = fromOrigin("/api/v1/spanner/qido/studies?PatientID=12345", ALLOWED, null);

        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.header("WWW-Authenticate")).isEqualTo("Api-Key realm=\"dicom-query-spanner\"");
        assertThat(unauthorized.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(coordinator.waitingRequests()).isZero();
        assertThat(awaitQueryEvents(1).get(0).get("action").asString()).isEqualTo("refused");
    }

    @Test
    void aSearchFromAnotherOriginIsRefusedWith403BeforeItReachesACoordinator() {
        Reply refused = fromOrigin("/dicomweb/1/studies?PatientID=12345", "http://elsewhere.test:30080", queryKey);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(corsHeaders(refused)).isEmpty();
        assertThat(coordinator.waitingRequests()).isZero();
    }

    @Test
    void theAdminApiIsNotOfferedToOtherOriginsItsPreflightNeedsAKeyLikeAnyRequest() {
        Reply preflight = preflight("/api/v1/sources", ALLOWED, "GET", "authorization");

        assertThat(preflight.status()).isEqualTo(401);
        assertThat(corsHeaders(preflight)).isEmpty();
        assertThat(preflight.raw().headers().allValues("Vary")).isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Reply preflight(String path, String origin, String method, String headers) {
        return exchange(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .build());
    }

    private Reply fromOrigin(String path, String origin, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .GET()
                .header("Origin", origin);
        if (key != null) {
            request.header("Authorization", "Api-Key " + key);
        }
        return exchange(request.build());
    }

    /** The {@code Access-Control-*} headers of a reply, by lower-case name. */
    static Map<String, List<String>> corsHeaders(Reply reply) {
        return reply.raw().headers().map().entrySet().stream()
                .filter(header -> header.getKey().toLowerCase().startsWith("access-control-"))
                .collect(java.util.stream.Collectors.toMap(
                        header -> header.getKey().toLowerCase(), Map.Entry::getValue));
    }

    private List<JsonNode> awaitQueryEvents(int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (true) {
            JsonNode items =
                    get("/api/v1/audit-events?entity_type=query").body().get("items");
            if (items.size() >= count || Instant.now().isAfter(deadline)) {
                assertThat(items.size()).isEqualTo(count);
                return items.valueStream().toList();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
