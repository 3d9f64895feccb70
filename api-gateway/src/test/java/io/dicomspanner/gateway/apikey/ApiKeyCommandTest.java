package io.dicomspanner.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ApiKeyCommandTest {

    @Test
    void plainServerArgumentsAreNoCommand() {
        assertThat(ApiKeyCommand.parse(new String[] {"--server.port=9000"})).isEmpty();
    }

    @Test
    void createWithScopes() {
        assertThat(ApiKeyCommand.parse(new String[] {"--create-api-key=ci", "--scopes=admin, query"}))
                .contains(new ApiKeyCommand.Create("ci", List.of("admin", "query")));
    }

    @Test
    void createWithoutScopesGetsQueryOnly() {
        assertThat(ApiKeyCommand.parse(new String[] {"--create-api-key=viewer"}))
                .contains(new ApiKeyCommand.Create("viewer", List.of("query")));
    }

    @Test
    void listAndRevoke() {
        assertThat(ApiKeyCommand.parse(new String[] {"--list-api-keys"})).contains(new ApiKeyCommand.ListKeys());
        assertThat(ApiKeyCommand.parse(new String[] {"--revoke-api-key=12"})).contains(new ApiKeyCommand.Revoke(12));
    }

    @Test
    void malformedCommandsAreInvalid() {
        assertThat(ApiKeyCommand.parse(new String[] {"--revoke-api-key=abc"}))
                .contains(new ApiKeyCommand.Invalid("--revoke-api-key needs a numeric key id"));
        assertThat(ApiKeyCommand.parse(new String[] {"--create-api-key="}))
                .contains(new ApiKeyCommand.Invalid("'--create-api-key=' needs a value"));
        assertThat(ApiKeyCommand.parse(new String[] {"--list-api-keys", "--revoke-api-key=1"}))
                .contains(new ApiKeyCommand.Invalid("give one API key command, not 2"));
    }
}
