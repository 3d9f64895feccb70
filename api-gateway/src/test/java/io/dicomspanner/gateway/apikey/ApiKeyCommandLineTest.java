package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The command line path, run as main runs it (a second, non-web Spring context on the same test database). */
class ApiKeyCommandLineTest extends GatewayTest {

    @Autowired
    VerifiedKeyCache verified;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void createListAndRevokeAgainstTheDatabase() {
        int created = run("--create-api-key=ops", "--scopes=admin");

        assertThat(created).isEqualTo(ApiKeyCommandLine.OK);
        String key = stdout().strip();
        assertThat(key).startsWith("dqs_").hasSize(47);
        assertThat(stderr()).contains("Created API key 2 'ops' with scopes admin.");
        assertThat(send("GET", "/api/v1/sources", key, null).status()).isEqualTo(200);
        assertThat(get("/api/v1/api-keys/2").body().get("created_by").asString())
                .startsWith("cli:");

        out.reset();
        assertThat(run("--list-api-keys")).isEqualTo(ApiKeyCommandLine.OK);
        String[] lines = stdout().split("\n");
        assertThat(lines[0]).isEqualTo("id\tname\tscopes\tactive\tcreated_at\tlast_used_at\trevoked_at");
        assertThat(lines[1]).startsWith("1\ttest-admin\tadmin\ttrue\t");
        assertThat(lines[2]).startsWith("2\tops\tadmin\ttrue\t");
        assertThat(stdout()).doesNotContain(key);

        assertThat(run("--revoke-api-key=2")).isEqualTo(ApiKeyCommandLine.OK);
        // The command line is another process: the running gateway may trust the key it verified moments ago for up
        // to verification-cache-ttl (ApiKeyVerificationCacheTest); once it asks the database again, the key is refused.
        verified.evictAll();
        assertThat(send("GET", "/api/v1/sources", key, null).status()).isEqualTo(401);
    }

    @Test
    void unknownKeyIdFailsWithExitCode1() {
        assertThat(run("--revoke-api-key=99")).isEqualTo(ApiKeyCommandLine.FAILED);
        assertThat(stderr()).contains("No API key with id 99");
    }

    @Test
    void invalidScopeFailsWithUsageExitCode() {
        assertThat(run("--create-api-key=x", "--scopes=root")).isEqualTo(ApiKeyCommandLine.USAGE);
        assertThat(stderr()).contains("scopes[0].<list element> must be one of query, admin");
        assertThat(stdout()).isEmpty();
    }

    @Test
    void malformedCommandPrintsUsage() {
        assertThat(run("--revoke-api-key=abc")).isEqualTo(ApiKeyCommandLine.USAGE);
        assertThat(stderr()).contains("usage: java -jar api-gateway.jar --create-api-key=NAME");
    }

    private int run(String... args) {
        String[] withProfile = Stream.concat(Arrays.stream(args), Stream.of("--spring.profiles.active=test"))
                .toArray(String[]::new);
        return ApiKeyCommandLine.run(
                ApiKeyCommand.parse(withProfile).orElseThrow(),
                withProfile,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
