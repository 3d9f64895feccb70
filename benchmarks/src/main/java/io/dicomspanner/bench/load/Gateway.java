package io.dicomspanner.bench.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The api-gateway as the load tools see it: QIDO-RS searches, query status, the query log, and the config's sources.
 */
public final class Gateway {

    /** Longer than any config's deadline, so a slow answer is measured and not cut off by the client. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);

    /** Query-log entries read per search: more than one Patient ID's queries in one run. */
    private static final int QUERY_LOG_PAGE = 100;

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final JsonMapper json = JsonMapper.builder().build();

    public Gateway(URI base, String apiKey) {
        this.base = base;
        this.authorization = "Api-Key " + apiKey;
        // HTTP/1.1 like most QIDO-RS clients: one connection per client in flight, kept alive between requests
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /**
     * One search: what came back and when, measured around the whole exchange including reading the body.
     *
     * @param warning the {@code Warning} header (a partial answer names the PACS that did not answer), or null
     * @param body the body when the run keeps bodies to check them ({@code --verify}), else null
     */
    record Answer(
            int status,
            long latencyMicros,
            long sentEpochMillis,
            long receivedEpochMillis,
            String queryId,
            int bytes,
            String warning,
            byte[] body) {
        boolean ok() {
            return status == 200;
        }
    }

    private boolean keepBodies;

    /** Keeps each answer's body and {@code Warning} header, for {@link AnswerCheck}. */
    Gateway keepingBodies() {
        this.keepBodies = true;
        return this;
    }

    /** Sends {@code GET /api/v1/spanner/qido/studies?{query}}; a transport failure is an answer with status -1. */
    Answer studies(String query) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/spanner/qido/studies?" + query))
                .header("Authorization", authorization)
                .header("Accept", "application/dicom+json")
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        long sentEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long micros = (System.nanoTime() - start) / 1000;
            return new Answer(
                    response.statusCode(),
                    micros,
                    sentEpoch,
                    System.currentTimeMillis(),
                    response.headers().firstValue("X-Query-Id").orElse(null),
                    response.body().length,
                    response.headers().firstValue("Warning").orElse(null),
                    keepBodies ? response.body() : null);
        } catch (IOException e) {
            return new Answer(
                    -1,
                    (System.nanoTime() - start) / 1000,
                    sentEpoch,
                    System.currentTimeMillis(),
                    null,
                    0,
                    null,
                    keepBodies
                            ? ("transport: " + e.getClass().getSimpleName()).getBytes(StandardCharsets.UTF_8)
                            : null);
        }
    }

    /**
     * What the spanner recorded about one query ({@code /api/v1/spanner/queries/{id}/status}), or empty if the status
     * is gone or unreadable.
     */
    public Optional<QueryTiming> status(String queryId) throws InterruptedException {
        try {
            JsonNode status = get("/api/v1/spanner/queries/" + queryId + "/status");
            if (status == null) {
                return Optional.empty();
            }
            long slowest = -1;
            int sources = 0;
            for (JsonNode source : status.path("sources")) {
                sources++;
                JsonNode latency = source.path("latency_millis");
                if (latency.isNumber()) {
                    slowest = Math.max(slowest, latency.asLong());
                }
            }
            JsonNode completed = status.path("completed_epoch_millis");
            return Optional.of(new QueryTiming(
                    status.path("state").asString(),
                    status.path("from_cache").asBoolean(),
                    status.path("coalesced").asBoolean(),
                    status.path("created_epoch_millis").asLong(),
                    completed.isNumber() ? completed.asLong() : -1,
                    sources,
                    slowest));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The enabled DICOM sources mapped into the config, by priority (admin API; needs the admin scope). */
    public List<SourceEndpoint> sources(long configId) throws IOException, InterruptedException {
        JsonNode mappings = get("/api/v1/config/spanner/" + configId + "/sources/?size=500");
        if (mappings == null) {
            throw new IOException("config " + configId + " not found");
        }
        List<JsonNode> ordered = new ArrayList<>();
        mappings.path("items").forEach(ordered::add);
        ordered.sort((a, b) ->
                Integer.compare(a.path("priority").asInt(), b.path("priority").asInt()));
        List<SourceEndpoint> out = new ArrayList<>();
        for (JsonNode mapping : ordered) {
            if (!mapping.path("enabled").asBoolean(true)) {
                continue;
            }
            JsonNode s = get("/api/v1/sources/" + mapping.path("source_id").asLong());
            if (s == null || !s.path("enabled").asBoolean(true)) {
                continue;
            }
            out.add(new SourceEndpoint(
                    s.path("name").asString(),
                    s.path("ae_title").asString(),
                    s.path("host").asString(),
                    s.path("port").asInt(),
                    s.path("calling_ae_title").asString(),
                    s.path("tls").asBoolean(),
                    s.path("max_associations").asInt()));
        }
        return out;
    }

    /** One query-log entry, as much of it as the load tools read. */
    public record LoggedQuery(String queryId, Instant startedAt, Map<String, String> tokenizedFilters) {}

    /**
     * The query-log entries of one config's queries from one entry point ({@code qido}, {@code dimse}) with this real
     * Patient ID, started in [{@code from}, {@code to}), newest first, at most {@link #QUERY_LOG_PAGE} ({@code POST
     * /api/v1/query-log/search}: the Patient ID travels in the body only; admin scope).
     */
    public List<LoggedQuery> queryLog(String patientId, String entryPoint, long configId, Instant from, Instant to)
            throws IOException, InterruptedException {
        ObjectNode body = json.createObjectNode()
                .put("patient_id", patientId)
                .put("entry_point", entryPoint)
                .put("config_id", configId)
                .put("from", from.toString())
                .put("to", to.toString());
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/query-log/search?size=" + QUERY_LOG_PAGE))
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            // the body is a problem detail: no query values in it, but keep it short
            throw new IOException("query-log search answered " + response.statusCode());
        }
        List<LoggedQuery> out = new ArrayList<>();
        for (JsonNode entry : json.readTree(response.body()).path("items")) {
            Map<String, String> filters = new LinkedHashMap<>();
            entry.path("tokenized_filters")
                    .properties()
                    .forEach(f -> filters.put(f.getKey(), f.getValue().asString()));
            out.add(new LoggedQuery(
                    entry.path("id").asString(),
                    Instant.parse(entry.path("started_at").asString()),
                    filters));
        }
        return out;
    }

    /** A GET of a JSON resource: the tree, null on 404, an IOException on any other failure. */
    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", authorization)
                .timeout(REQUEST_TIMEOUT)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode());
        }
        return json.readTree(response.body());
    }
}
