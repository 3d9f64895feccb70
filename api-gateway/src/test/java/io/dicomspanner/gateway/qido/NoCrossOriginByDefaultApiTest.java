package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Without {@code spanner.cors.allowed-origins} the gateway speaks no CORS: a preflight is an unauthenticated request
 * like any other, and no answer carries a CORS header or {@code Vary: Origin}.
 */
class NoCrossOriginByDefaultApiTest extends QidoApiTest {

    @Test
    void aPreflightIsRefusedLikeAnyRequestWithoutAKeyAndCarriesNoCorsHeaders() {
        Reply preflight = exchange(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dicomweb/1/studies?PatientID=12345"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://viewer.test:30080")
                        .header("Access-Control-Request-Method", "GET")
                        .header("Access-Control-Request-Headers", "authorization")
                        .build());

        assertThat(preflight.status()).isEqualTo(401);
        assertThat(CrossOriginApiTest.corsHeaders(preflight)).isEmpty();
        assertThat(preflight.raw().headers().allValues("Vary")).isEmpty();
    }

    @Test
    void aSearchSentWithAnOriginIsAnsweredWithoutCorsHeaders() {
        CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> exchange(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dicomweb/1/studies?PatientID=12345"))
                        .GET()
                        .header("Origin", "http://viewer.test:30080")
                        .header("Authorization", "Api-Key " + queryKey)
                        .build()));
        SpanRequest request = coordinator.takeRequest();
        coordinator.answer(request, answer(request, QueryState.COMPLETE, List.of(study()), List.of(), 0));
        Reply answered = reply.join();

        assertThat(answered.status()).isEqualTo(200);
        assertThat(answered.raw().body()).isEqualTo(STUDY_JSON);
        assertThat(CrossOriginApiTest.corsHeaders(answered)).isEmpty();
        assertThat(answered.raw().headers().allValues("Vary")).isEmpty();
    }
}
