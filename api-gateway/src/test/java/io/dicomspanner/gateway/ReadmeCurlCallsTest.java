package io.dicomspanner.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The three admin API calls of the README, run with the real curl exactly as written there; only the port (the test
 * server's) and YOUR_API_KEY (a real key) are filled in.
 */
class ReadmeCurlCallsTest extends GatewayTest {

    private static final String CREATE_CONFIG = """
            curl -X POST 'http://localhost:8001/api/v1/config/spanner/' \\
              -H 'Authorization: Api-Key YOUR_API_KEY' -H 'Content-Type: application/json' \\
              -d '{"name": "Enterprise Production", "description": "Production spanning across all 8 PACS",
                   "max_concurrent_sources": 8, "timeout_seconds": 30, "retry_attempts": 2,
                   "failure_strategy": "partial_results", "deduplication_enabled": true, "enterprise_mode": true}'
            """;

    private static final String CREATE_MAPPING = """
            curl -X POST 'http://localhost:8001/api/v1/config/spanner/1/sources/' \\
              -H 'Authorization: Api-Key YOUR_API_KEY' -H 'Content-Type: application/json' \\
              -d '{"source_type": "modality", "source_id": 1, "priority": 1, "timeout_override": 20}'
            """;

    private static final String CREATE_SOURCE = """
            curl -X POST 'http://localhost:8001/api/v1/sources/' \\
              -H 'Authorization: Api-Key YOUR_API_KEY' -H 'Content-Type: application/json' \\
              -d '{"name": "PACS-A", "ae_title": "PACSA", "host": "10.1.2.3", "port": 104,
                   "calling_ae_title": "SPANNER", "max_associations": 4, "query_timeout_seconds": 20, "tls": false}'
            """;

    @Test
    void readmeCallsWorkAsWritten() throws Exception {
        JsonNode source = curl(CREATE_SOURCE);
        JsonNode config = curl(CREATE_CONFIG);
        JsonNode mapping = curl(CREATE_MAPPING);

        assertThat(source.get("id").asLong()).isEqualTo(1);
        assertThat(source.get("ae_title").asString()).isEqualTo("PACSA");
        assertThat(config.get("id").asLong()).isEqualTo(1);
        assertThat(config.get("name").asString()).isEqualTo("Enterprise Production");
        assertThat(config.get("failure_strategy").asString()).isEqualTo("partial_results");
        assertThat(mapping.get("id").asLong()).isEqualTo(1);
        assertThat(mapping.get("config_id").asLong()).isEqualTo(1);
        assertThat(mapping.get("source_id").asLong()).isEqualTo(1);
        assertThat(mapping.get("timeout_override").asInt()).isEqualTo(20);

        assertThat(get("/api/v1/sources/1").body()).isEqualTo(source);
        assertThat(get("/api/v1/config/spanner/1/sources/1").body()).isEqualTo(mapping);
        assertThat(get("/api/v1/config/spanner/1").body().get("version").asLong())
                .isEqualTo(2);
    }

    private JsonNode curl(String command) throws IOException, InterruptedException {
        String runnable = command.replace("localhost:8001", "localhost:" + port)
                .replace("YOUR_API_KEY", adminKey)
                .replace("curl ", "curl -sS --fail-with-body ");
        Process process = new ProcessBuilder("bash", "-c", runnable).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl did not finish: " + command);
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("curl exit status; stderr: %s; stdout: %s", err, out)
                .isZero();
        return json.readTree(out);
    }
}
